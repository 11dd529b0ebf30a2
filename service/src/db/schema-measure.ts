/** The tables of issue 12: the monitors' firings and signals, the dashboard's roll-ups. */
import type { Generated } from 'kysely';

type AutoId = Generated<number>;

/** A monitor's firing (migration 0018, monitors/): open while `open_target` is set. */
export interface MonitorEventsTable {
  id: AutoId;
  store_id: number;
  monitor: string;
  target: string;
  reason: string;
  /** JSON of the verdict's figures. */
  figures: string;
  detail: string;
  fired_at: Date;
  open_target: string | null;
  resumed_at: Date | null;
  resumed_by: string | null;
}

/** A template or quality webhook for the monitors' pass (migration 0018). */
export interface MonitorSignalsTable {
  id: AutoId;
  store_id: number;
  kind: 'template_status' | 'template_category' | 'quality';
  template: string | null;
  language: string | null;
  value: string;
  previous: string | null;
  received_at: Date;
  handled_at: Date | null;
}

/** The dashboard's roll-ups per UTC hour (migration 0017; measure/sql/rollup.ts rebuilds them). */
interface SlotKey {
  store_id: number;
  /** The UTC hour. */
  slot: Date;
  lane: string;
}

export interface MeasureMessageSlotsTable extends SlotKey {
  step: number;
  /** '' for none. */
  template: string;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  clicked: number;
  cost_micros: number;
}

export interface MeasureRatesTable {
  store_id: number;
  country: string;
  category: string;
  micros: number;
}

export interface MeasurePrefixesTable {
  prefix: string;
  country: string | null;
}

export interface MeasureAttributionSlotsTable extends SlotKey {
  step: number;
  template: string;
  kind: 'recovered' | 'influenced';
  orders: number;
  amount: number;
}

export interface MeasureEnrollmentSlotsTable extends SlotKey {
  cell: 'treatment' | 'holdout';
  enrolled: number;
  opted_out: number;
  converted: number;
  revenue: number;
  /** DECIMAL(38,0): read back as a string. */
  squares: string;
}
