//! Pagination as GitHub's REST API does it, for both fakes: `per_page` and `page` query
//! parameters, and a `Link` header with `next`, `last`, `prev` and `first`.

use std::collections::BTreeMap;

use crate::RecordedRequest;

/// The query's parameters (`%3A` read as `:`, as the clients send timestamps).
pub(crate) fn query_params(request: &RecordedRequest) -> BTreeMap<String, String> {
    request
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%3A", ":").replace("%3a", ":")))
        .collect()
}

/// The page of `total` entries the parameters ask for (`per_page` defaults to `default`, at
/// most `max`): (range, page, last page).
pub(crate) fn page_of(
    params: &BTreeMap<String, String>,
    total: usize,
    default: usize,
    max: usize,
) -> (std::ops::Range<usize>, usize, usize) {
    let per_page: usize = params
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(default)
        .clamp(1, max);
    let page: usize = params
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let last = total.div_ceil(per_page).max(1);
    let start = ((page - 1) * per_page).min(total);
    let end = (start + per_page).min(total);
    (start..end, page, last)
}

/// The `Link` header of page `page` of `last`, pointing at `base` + the request's path with
/// its other parameters kept; `None` when there is one page.
pub(crate) fn link_header(
    request: &RecordedRequest,
    base: &str,
    page: usize,
    last: usize,
) -> Option<String> {
    if last <= 1 {
        return None;
    }
    let params = query_params(request);
    let path = request.path_only();
    let link_to = |p: usize| {
        let mut query: Vec<String> = params
            .iter()
            .filter(|(k, _)| k.as_str() != "page")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        query.push(format!("page={p}"));
        format!("<{base}{path}?{}>", query.join("&"))
    };
    let mut out = Vec::new();
    if page < last {
        out.push(format!("{}; rel=\"next\"", link_to(page + 1)));
        out.push(format!("{}; rel=\"last\"", link_to(last)));
    }
    if page > 1 {
        out.push(format!("{}; rel=\"prev\"", link_to(page - 1)));
        out.push(format!("{}; rel=\"first\"", link_to(1)));
    }
    Some(out.join(", "))
}
