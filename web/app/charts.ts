/**
 * Charts drawn with uPlot (bundled; canvas, ~50 kB). Each chart sits in a <figure> with a caption,
 * a text summary for screen readers (the canvas is an image to them) and follows its container's
 * width, so the same page works on a laptop and a phone.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h } from "./dom";

// Colour-blind-safe palette (Okabe–Ito), dark enough on white for the lines and legend swatches.
export const COLOURS = {
  blue: "#0072b2",
  orange: "#d55e00",
  green: "#009e73",
  purple: "#cc79a7",
  yellow: "#e69f00",
  grey: "#6b7280",
};

const HEIGHT = 260;
const live = new Set<uPlot>();

// One observer resizes every chart to its figure's width.
const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const plot = (entry.target as HTMLElement & { plot?: uPlot }).plot;
    if (plot) {
      plot.setSize({ width: chartWidth(entry.target as HTMLElement), height: HEIGHT });
    }
  }
});

function chartWidth(container: HTMLElement): number {
  return Math.max(260, Math.floor(container.clientWidth));
}

/** Drops the charts of the page being left (their observers and canvases). */
export function destroyCharts(): void {
  for (const plot of live) {
    plot.destroy();
  }
  live.clear();
  resizer.disconnect();
}

export interface ChartSpec {
  id: string;
  title: string;
  /** What the chart shows, in words (read by screen readers in place of the canvas). */
  summary: string;
  series: uPlot.Series[];
  data: uPlot.AlignedData;
  /** x values are Unix seconds (dates) unless false. */
  time?: boolean;
  yLabel: string;
  scales?: uPlot.Scales;
  axes?: uPlot.Axis[];
}

/** A figure holding the chart; call `draw` once the figure is in the document (it needs a width). */
export function chartFigure(spec: ChartSpec): { figure: HTMLElement; draw(): void } {
  const canvasHost = h("div", { class: "chart", role: "img", "aria-label": spec.summary });
  const figure = h(
    "figure",
    { id: spec.id, class: "card chart-card" },
    h("figcaption", {}, spec.title),
    canvasHost,
  );
  return {
    figure,
    draw() {
      const plot = new uPlot(
        {
          width: chartWidth(canvasHost),
          height: HEIGHT,
          series: [{}, ...spec.series],
          scales: { x: { time: spec.time !== false }, ...spec.scales },
          axes: spec.axes ?? [{}, { label: spec.yLabel, size: 56, labelSize: 18 }],
          legend: { live: true },
          cursor: { drag: { x: false, y: false } },
        },
        spec.data,
        canvasHost,
      );
      (canvasHost as HTMLElement & { plot?: uPlot }).plot = plot;
      live.add(plot);
      resizer.observe(canvasHost);
    },
  };
}

export const bars = (size = 0.7) => uPlot.paths.bars?.({ size: [size, 64] });

/** A line series. */
export function line(
  label: string,
  stroke: string,
  extra: Partial<uPlot.Series> = {},
): uPlot.Series {
  return { label, stroke, width: 2, ...extra };
}

/** Points only (the scatter): no connecting line. */
export function points(label: string, stroke: string): uPlot.Series {
  return {
    label,
    stroke,
    fill: `${stroke}66`,
    paths: () => null,
    points: { show: true, size: 6, stroke, fill: `${stroke}66` },
  };
}
