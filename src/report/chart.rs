//! A queue's charts as one SVG: waiting, longest wait, service level and
//! abandon rate over time, one panel each, drawn with plotters' SVG backend
//! (no font files: text is left to the SVG viewer). Nothing from the feed
//! is written into the SVG: panels are named by figure, times are numbers.

use plotters::prelude::*;
use queuetop_engine::report::{Sample, Series};
use queuetop_engine::time::Ts;

type Figure = fn(&Sample) -> Option<f64>;

const PANELS: [(&str, Figure); 4] = [
    ("waiting", |s| Some(s.waiting as f64)),
    ("longest wait (s)", |s| Some(s.longest_wait_s)),
    ("service level % (rolling window)", |s| s.service_level_pct),
    ("abandon rate % (rolling window)", |s| s.abandon_rate_pct),
];

/// The SVG text of one series' four panels; `clock` names a time of day.
pub fn svg(series: &Series, clock: &dyn Fn(Ts) -> String) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, 880)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let first = series.samples.first().map_or(0, |s| s.at.0);
        let last = series
            .samples
            .last()
            .map_or(0, |s| s.at.0)
            .max(first + 60_000);
        for (area, (title, figure)) in root.split_evenly((4, 1)).iter().zip(PANELS) {
            let points: Vec<(i64, f64)> = series
                .samples
                .iter()
                .filter_map(|s| figure(s).map(|v| (s.at.0, v)))
                .collect();
            let top = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
            let top = if title.contains('%') {
                100.0
            } else {
                (top * 1.1).max(1.0)
            };
            let mut chart = ChartBuilder::on(area)
                .caption(title, ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(26)
                .y_label_area_size(50)
                .build_cartesian_2d(first..last, 0.0..top)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_labels(8)
                .y_labels(5)
                .x_label_formatter(&|x| super::write::hhmm(clock(Ts(*x))))
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(LineSeries::new(points, BLUE.stroke_width(2)))
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
