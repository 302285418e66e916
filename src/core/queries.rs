//! The candidate queries of a finished run, normalised from either shape of `final_response`:
//! today's `{responses: [query, ...], ...}` with snake_case queries, or an older server's
//! single camelCase query object.

use super::json::Json;
use serde::Serialize;

/// A chart of a candidate query.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerChart"))]
pub struct Chart {
    /// The chart type's number, `null` when absent.
    pub chart_type: Option<f64>,
    /// The aggregates drawn.
    pub y_axes: Vec<String>,
    /// The interval, such as `1h`.
    pub interval: Option<String>,
}

/// One candidate query, normalised from either shape. Absent fields are `null`, lists empty.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerQuery"))]
pub struct Query {
    /// The search query.
    pub query: String,
    /// The fields to group by.
    pub group_bys: Vec<String>,
    /// The charts to draw.
    pub visualizations: Vec<Chart>,
    /// The sort, such as `-span.duration`.
    pub sort: Option<String>,
    /// The relative period, such as `24h` (empty when `start` and `end` are used).
    pub stats_period: Option<String>,
    /// The start of an absolute period.
    pub start: Option<String>,
    /// The end of an absolute period.
    pub end: Option<String>,
    /// `samples` or `aggregates`.
    pub mode: Option<String>,
    /// How many results the agent saw for it, `null` when absent.
    pub result_count: Option<f64>,
    /// A cross-event span filter (Traces only).
    pub span_query: Option<String>,
    /// A cross-event log filter (Traces only).
    pub log_query: Option<String>,
    /// A cross-event metric filter (Traces only).
    pub metric_query: Option<String>,
}

/// The field names of one shape: today's snake_case or the older camelCase.
struct Names {
    group_bys: &'static str,
    visualizations: &'static str,
    chart_type: &'static str,
    y_axes: &'static str,
    stats_period: &'static str,
    result_count: &'static str,
    span_query: &'static str,
    log_query: &'static str,
    metric_query: &'static str,
}

const SNAKE: Names = Names {
    group_bys: "group_by",
    visualizations: "visualization",
    chart_type: "chart_type",
    y_axes: "y_axes",
    stats_period: "stats_period",
    result_count: "result_count",
    span_query: "span_query",
    log_query: "log_query",
    metric_query: "metric_query",
};

const CAMEL: Names = Names {
    group_bys: "groupBys",
    visualizations: "visualizations",
    chart_type: "chartType",
    y_axes: "yAxes",
    stats_period: "statsPeriod",
    result_count: "resultCount",
    span_query: "spanQuery",
    log_query: "logQuery",
    metric_query: "metricQuery",
};

/// The candidate queries of `final_response`, best first: its `responses` when that is an
/// array, else the object itself when it has a string `query`, else none. Entries without a
/// string `query` are dropped.
pub fn queries_of<J: Json>(final_response: &J) -> Vec<Query> {
    match final_response.get("responses").and_then(|r| r.items()) {
        Some(responses) => responses.iter().filter_map(|r| query(r, &SNAKE)).collect(),
        None => query(final_response, &CAMEL).into_iter().collect(),
    }
}

fn query<J: Json>(entry: &J, names: &Names) -> Option<Query> {
    let text = |name: &'static str| entry.get_string(name);
    let charts = entry.get(names.visualizations).and_then(|v| v.items()).unwrap_or_default();
    Some(Query {
        query: text("query")?,
        group_bys: strings(entry.get(names.group_bys)),
        visualizations: charts.iter().filter(|c| c.is_object()).map(|c| chart(c, names)).collect(),
        sort: text("sort"),
        stats_period: text(names.stats_period),
        start: text("start"),
        end: text("end"),
        mode: text("mode"),
        result_count: entry.get(names.result_count).and_then(|n| n.number()),
        span_query: text(names.span_query),
        log_query: text(names.log_query),
        metric_query: text(names.metric_query),
    })
}

fn chart<J: Json>(chart: &J, names: &Names) -> Chart {
    Chart {
        chart_type: chart.get(names.chart_type).and_then(|n| n.number()),
        y_axes: strings(chart.get(names.y_axes)),
        interval: chart.get_string("interval"),
    }
}

/// The strings of an array; anything else in it is left out.
fn strings<J: Json>(list: Option<J>) -> Vec<String> {
    let items = list.and_then(|l| l.items()).unwrap_or_default();
    items.iter().filter_map(J::string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn fixture(name: &str) -> Value {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let body: Value = serde_json::from_str(&text).unwrap();
        body["session"]["final_response"].clone()
    }

    fn normalised(final_response: &Value) -> Value {
        serde_json::to_value(queries_of(final_response)).unwrap()
    }

    fn of(value: Value) -> Value {
        normalised(&value)
    }

    #[test]
    fn responses_in_order() {
        let queries = normalised(&fixture("state-completed.json"));
        assert_eq!(
            queries,
            json!([
                {"query": "span.duration:>500ms transaction:*checkout*", "groupBys": ["transaction"],
                 "visualizations": [{"chartType": 1.0, "yAxes": ["p95(span.duration)"], "interval": null}],
                 "sort": "-span.duration", "statsPeriod": "24h", "start": null, "end": null, "mode": "aggregates",
                 "resultCount": 128.0, "spanQuery": null, "logQuery": null, "metricQuery": null},
                {"query": "span.op:http.server transaction:*checkout* span.duration:>500ms", "groupBys": [],
                 "visualizations": [{"chartType": 1.0, "yAxes": ["count()"], "interval": "1h"}],
                 "sort": "-timestamp", "statsPeriod": "", "start": "2026-05-11T00:00:00",
                 "end": "2026-05-11T10:00:00", "mode": "samples", "resultCount": null, "spanQuery": null,
                 "logQuery": null, "metricQuery": null}
            ])
        );
    }

    #[test]
    fn a_legacy_single_object() {
        assert_eq!(
            normalised(&fixture("state-completed-single-legacy.json")),
            json!([{"query": "span.duration:>30s", "groupBys": [],
                    "visualizations": [{"chartType": 1.0, "yAxes": ["count()"], "interval": null}],
                    "sort": "-span.duration", "statsPeriod": "24h", "start": null, "end": null, "mode": "samples",
                    "resultCount": null, "spanQuery": null, "logQuery": null, "metricQuery": null}])
        );
    }

    #[test]
    fn none_when_unsupported_failed_or_pending() {
        for name in ["state-unsupported.json", "state-error.json", "state-pending.json", "state-processing.json"] {
            assert_eq!(normalised(&fixture(name)), json!([]), "{name}");
        }
    }

    #[test]
    fn malformed_entries_and_fields() {
        let minimal = |query: &str| {
            json!({"query": query, "groupBys": [], "visualizations": [], "sort": null, "statsPeriod": null,
                   "start": null, "end": null, "mode": null, "resultCount": null, "spanQuery": null,
                   "logQuery": null, "metricQuery": null})
        };
        assert_eq!(
            of(json!({"responses": [{"query": 1}, null, "q", [], {"sort": "x"}, {"query": "a"}, {"query": ""}]})),
            json!([minimal("a"), minimal("")])
        );
        let odd = of(json!({"responses": [{"query": "q", "group_by": ["a", 1, null, "b"], "sort": 3,
            "visualization": [{"chart_type": "1", "y_axes": "count()"}, 7, {"interval": 5}],
            "result_count": "12", "mode": ["samples"]}]}));
        let mut expected = minimal("q");
        expected["groupBys"] = json!(["a", "b"]);
        let blank_chart = json!({"chartType": null, "yAxes": [], "interval": null});
        expected["visualizations"] = json!([blank_chart, blank_chart]);
        assert_eq!(odd, json!([expected]));
        // `responses` that is no array: the legacy reading of the object itself.
        assert_eq!(of(json!({"responses": null, "query": "legacy"})), json!([minimal("legacy")]));
        for nothing in [json!(null), json!({}), json!([]), json!("q"), json!({"query": null}), json!({"responses": []})]
        {
            assert_eq!(of(nothing.clone()), json!([]), "{nothing}");
        }
    }
}
