import { decimalToMinor, InvalidDecimalError, minorToDecimal } from '../../src/woo/money';

describe('WooCommerce decimal strings to minor units', () => {
  it.each([
    ['1299.5', 2, 129950],
    ['1299', 2, 129900],
    ['1299.50', 2, 129950],
    ['1299.99', 2, 129999],
    ['0.29', 2, 29],
    ['0.07', 2, 7],
    ['0', 2, 0],
    ['10.00', 2, 1000],
    ['007.10', 2, 710],
    [' 12.5 ', 2, 1250],
    ['1299.504', 2, 129950],
    ['1299.505', 2, 129951],
    ['1299.995', 2, 130000],
    ['1500', 0, 1500],
    ['1499.5', 0, 1500],
    ['1499.49', 0, 1499],
    ['1.234', 3, 1234],
    ['1.2', 3, 1200],
    [12.5, 2, 1250],
    [0.1, 2, 10],
    [1299, 2, 129900],
    ['90071992547409.91', 2, 9007199254740991],
  ])('reads %p with %i digits as %i', (value, digits, minor) => {
    expect(decimalToMinor(value, digits)).toBe(minor);
  });

  it.each([
    [''],
    [' '],
    ['abc'],
    ['12abc'],
    ['1,299.00'],
    ['1 299'],
    ['-5'],
    ['+5'],
    ['1e3'],
    ['.5'],
    ['5.'],
    ['12.3.4'],
    ['NaN'],
    ['Infinity'],
    [NaN],
    [Infinity],
    [-1],
    [1e21],
    ['90071992547409.92'],
  ])('rejects %p', (value) => {
    expect(() => decimalToMinor(value, 2)).toThrow(InvalidDecimalError);
  });

  it.each([
    [129950, 2, '1299.50'],
    [129900, 2, '1299.00'],
    [7, 2, '0.07'],
    [0, 2, '0.00'],
    [500, 0, '500'],
    [1234, 3, '1.234'],
  ])('writes %i with %i digits as %p, which reads back the same', (minor, digits, text) => {
    expect(minorToDecimal(minor, digits)).toBe(text);
    expect(decimalToMinor(text, digits)).toBe(minor);
  });

  it.each([[-1], [1.5], [Number.MAX_SAFE_INTEGER + 1]])('refuses to write %p', (minor) => {
    expect(() => minorToDecimal(minor, 2)).toThrow(RangeError);
  });
});
