// One ECharts chart (tree-shaken: bar and line only), drawn as SVG with rich-text tooltips: the canvas
// renderer and HTML tooltips set inline styles, which the desk's CSP (no 'unsafe-inline') refused
// about 60 times on the KPI page (issue 18 item 11). Drawn without animation so what is on screen
// is final at once; resized with its box.
import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** The page's font stack (renderer/fonts.css): ECharts would write plain sans-serif, which on a machine without CJK fonts draws boxes. */
function uiFont(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--ui-font').trim() || 'sans-serif';
}

export function Chart(props: { option: EChartsCoreOption; testId: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, textStyle: { fontFamily: uiFont() }, ...props.option, tooltip: { ...(props.option.tooltip as object | undefined), renderMode: 'richText' } });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [props.option]);
  return <div ref={box} className="chart" role="img" aria-label={props.label} data-testid={props.testId} />;
}
