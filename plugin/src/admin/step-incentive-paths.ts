/** The paths StepIncentive shows for step `i` (errors on others go to the lane's notice). */
export function incentivePaths(i: number): string[] {
  const path = `steps[${i}].incentive`;
  return [
    path,
    ...['type', 'amount', 'ceiling', 'expires_after', 'minimum_spend', 'template_without_incentive'].map(
      (field) => `${path}.${field}`,
    ),
  ];
}
