/**
 * ECharts, loaded only by the pages that chart (a separate chunk): the parts used and nothing else. The canvas
 * renderer needs no eval and no inline styles in markup; tooltips are drawn on the canvas (richText), so the
 * strict CSP (style-src 'self') holds.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Bucket } from './activity.js';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export interface ActivityChart {
  readonly title: string;
  readonly eventsLabel: string;
  readonly customersLabel: string;
  readonly buckets: readonly Bucket[];
}

/** Draws one chart into `el`, redrawn on resize; returns a disposer. */
function mount(el: HTMLElement, option: echarts.EChartsCoreOption): () => void {
  const instance = echarts.init(el, undefined, { renderer: 'canvas' });
  instance.setOption(option);
  const resize = (): void => instance.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    instance.dispose();
  };
}

/** What every chart of the console shares: no animation, the aria description, the title, tooltips on the canvas. */
const frame = (title: string, legend: readonly string[]) => ({
  animation: false,
  aria: { enabled: true },
  title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
  tooltip: { trigger: 'axis', renderMode: 'richText' },
  legend: { bottom: 0, data: [...legend] },
  grid: { left: 48, right: 24, top: 40, bottom: 56 },
  yAxis: { type: 'value', minInterval: 1 },
});

/** Draws entries (bars) and distinct customers (line) per bucket into `el`; returns a disposer. */
export function drawActivity(el: HTMLElement, chart: ActivityChart): () => void {
  return mount(el, {
    ...frame(chart.title, [chart.eventsLabel, chart.customersLabel]),
    xAxis: { type: 'category', data: chart.buckets.map((b) => b.label) },
    series: [
      { name: chart.eventsLabel, type: 'bar', data: chart.buckets.map((b) => b.events), itemStyle: { color: '#3b6fb6' } },
      { name: chart.customersLabel, type: 'line', data: chart.buckets.map((b) => b.customers), itemStyle: { color: '#c2410c' } },
    ],
  });
}

export interface LinesChart {
  readonly title: string;
  readonly labels: readonly string[];
  /** Bars for the first series, dashed lines for the others. */
  readonly series: readonly { readonly name: string; readonly data: readonly number[] }[];
}

const COLORS = ['#3b6fb6', '#c2410c', '#15803d', '#7c3aed'];

/** A person's daily figure (bars) against baselines (lines) into `el`; returns a disposer. */
export function drawAgainst(el: HTMLElement, chart: LinesChart): () => void {
  return mount(el, {
    ...frame(chart.title, chart.series.map((x) => x.name)),
    xAxis: { type: 'category', data: [...chart.labels] },
    series: chart.series.map((x, i) =>
      i === 0
        ? { name: x.name, type: 'bar', data: [...x.data], itemStyle: { color: COLORS[0] } }
        : { name: x.name, type: 'line', data: [...x.data], symbol: 'none', lineStyle: { type: 'dashed', width: 2 }, itemStyle: { color: COLORS[i % COLORS.length] } },
    ),
  });
}
