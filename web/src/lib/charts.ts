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

/** Draws entries (bars) and distinct customers (line) per bucket into `el`; returns a disposer. */
export function drawActivity(el: HTMLElement, chart: ActivityChart): () => void {
  const instance = echarts.init(el, undefined, { renderer: 'canvas' });
  instance.setOption({
    animation: false,
    aria: { enabled: true },
    title: { text: chart.title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { bottom: 0, data: [chart.eventsLabel, chart.customersLabel] },
    grid: { left: 48, right: 24, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: chart.buckets.map((b) => b.label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: chart.eventsLabel, type: 'bar', data: chart.buckets.map((b) => b.events), itemStyle: { color: '#3b6fb6' } },
      { name: chart.customersLabel, type: 'line', data: chart.buckets.map((b) => b.customers), itemStyle: { color: '#c2410c' } },
    ],
  });
  const resize = (): void => instance.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    instance.dispose();
  };
}
