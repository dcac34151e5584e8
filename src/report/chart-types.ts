/** The shapes of the HTML report's charts (uPlot's column layout), apart so chart builders and the page data import them without a cycle. */

/** One chart's data in uPlot's column layout: x values, then one array per series. */
export interface SeriesChart {
  title: string;
  xLabel: string;
  yLabel: string;
  /** 'nines' = percentile axis, 'seconds' = time, 'category' = one bar per label, 'rate' = offered rate, 'entries' = data size (scale). */
  xKind: 'nines' | 'seconds' | 'category' | 'rate' | 'entries';
  logY?: boolean;
  logX?: boolean;
  /** Lines join across missing points; points are marked. */
  spanGaps?: boolean;
  points?: boolean;
  /** Filled bands between two series, as uPlot series indexes [upper, lower] (the x column is 0). */
  bands?: Array<[number, number]>;
  bars?: boolean;
  categories?: string[];
  /** `color`, `dash` and `spanGaps` override the defaults (the variant's colour; dashed when a variant's second series; gaps break the line). */
  series: Array<{ label: string; variant: string; color?: string; dash?: boolean; spanGaps?: boolean }>;
  data: Array<Array<number | null>>;
}

/** What the page draws. */
export interface HtmlCharts {
  variants: string[];
  charts: SeriesChart[];
}
