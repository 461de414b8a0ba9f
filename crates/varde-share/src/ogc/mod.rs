//! OGC API – Features (Part 1 Core, OGC 17-069r3) documents, built as JSON
//! values for the HTTP layer to serve per partner, and the items query
//! ([`parse_query`]).
//!
//! `base` is the absolute URL of the landing page without a trailing slash
//! (e.g. `https://varde.example/ogc`); the other resources are under it:
//!
//! | path | builder |
//! | --- | --- |
//! | `base` | [`landing`] |
//! | `base/api` | [`api_definition`] (OpenAPI 3.0, the `service-desc`) |
//! | `base/conformance` | [`conformance`] |
//! | `base/collections` | [`collections`] |
//! | `base/collections/{id}` | [`collection`] |
//! | `base/collections/{id}/items` | [`items_page`] (GeoJSON FeatureCollection) |
//! | `base/collections/{id}/items/{featureId}` | [`item`] |
//!
//! Conformance: `core` and `geojson`. `oas30` is not claimed: the OpenAPI
//! document is minimal and has not been checked against that class.

mod query;

pub use query::{
    geometry_bbox, parse_bbox, parse_datetime, parse_query, BBox, Interval, ItemsQuery, Limits,
    QueryError,
};

use crate::time::rfc3339;
use serde_json::{json, Value};

/// The CRS of every geometry: WGS 84 longitude, latitude.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// The temporal reference system of extents.
pub const GREGORIAN: &str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";
/// Conformance classes claimed.
pub const CONFORMS_TO: [&str; 2] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
];
/// Media type of GeoJSON.
pub const GEOJSON: &str = "application/geo+json";
/// Media type of the OpenAPI 3.0 definition.
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";

/// The collections served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    /// Latest vessel positions.
    Vessels,
    /// Alerts raised by the watch.
    Alerts,
    /// Watched zones.
    Zones,
    /// Protected infrastructure (cables, pipelines, platforms).
    Infrastructure,
}

impl Collection {
    /// Every collection, in listing order.
    pub const ALL: [Collection; 4] = [
        Collection::Vessels,
        Collection::Alerts,
        Collection::Zones,
        Collection::Infrastructure,
    ];

    /// The collection id in paths: `vessels`, `alerts`, `zones`, `infrastructure`.
    pub const fn id(self) -> &'static str {
        match self {
            Collection::Vessels => "vessels",
            Collection::Alerts => "alerts",
            Collection::Zones => "zones",
            Collection::Infrastructure => "infrastructure",
        }
    }

    /// The collection with id `id`.
    pub fn from_id(id: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Human title.
    pub const fn title(self) -> &'static str {
        match self {
            Collection::Vessels => "Vessels",
            Collection::Alerts => "Alerts",
            Collection::Zones => "Zones",
            Collection::Infrastructure => "Infrastructure",
        }
    }

    /// One-sentence description.
    pub const fn description(self) -> &'static str {
        match self {
            Collection::Vessels => {
                "Latest position and identity of each vessel heard on AIS, as released to you."
            }
            Collection::Alerts => "Alerts raised by the watch, open and recently closed.",
            Collection::Zones => "Zones under watch (territorial sea, restricted areas).",
            Collection::Infrastructure => {
                "Protected infrastructure: cables, pipelines and platforms."
            }
        }
    }
}

/// The spatial and temporal extent of a collection, when known.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Extent {
    /// `[west, south, east, north]` in CRS84 degrees.
    pub bbox: Option<[f64; 4]>,
    /// First and last instant (unix ms); `None` is open.
    pub interval: Option<(Option<i64>, Option<i64>)>,
}

fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media, "title": title})
}

/// The landing page (`base`): title, description and links to itself, the
/// API definition (`service-desc`), the conformance declaration and the
/// collections (`data`).
pub fn landing(base: &str, title: &str, description: &str) -> Value {
    json!({
        "title": title,
        "description": description,
        "links": [
            link(base.to_string(), "self", "application/json", "This document"),
            link(format!("{base}/api"), "service-desc", OPENAPI, "The API definition"),
            link(format!("{base}/conformance"), "conformance", "application/json", "Conformance classes implemented"),
            link(format!("{base}/collections"), "data", "application/json", "The feature collections"),
        ]
    })
}

/// The conformance declaration (`base/conformance`).
pub fn conformance() -> Value {
    json!({ "conformsTo": CONFORMS_TO })
}

/// One collection's description (`base/collections/{id}`).
pub fn collection(base: &str, c: Collection, extent: &Extent) -> Value {
    let id = c.id();
    let mut ext = serde_json::Map::new();
    if let Some(b) = extent.bbox {
        ext.insert("spatial".into(), json!({"bbox": [b], "crs": CRS84}));
    }
    if let Some((start, end)) = extent.interval {
        ext.insert(
            "temporal".into(),
            json!({"interval": [[start.map(rfc3339), end.map(rfc3339)]], "trs": GREGORIAN}),
        );
    }
    let mut v = json!({
        "id": id,
        "title": c.title(),
        "description": c.description(),
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            link(format!("{base}/collections/{id}"), "self", "application/json", c.title()),
            link(format!("{base}/collections/{id}/items"), "items", GEOJSON, &format!("{} as GeoJSON", c.title())),
        ]
    });
    if !ext.is_empty() {
        v["extent"] = Value::Object(ext);
    }
    v
}

/// The collections list (`base/collections`), in the order given.
pub fn collections(base: &str, list: &[(Collection, Extent)]) -> Value {
    json!({
        "links": [link(format!("{base}/collections"), "self", "application/json", "The feature collections")],
        "collections": list.iter().map(|(c, e)| collection(base, *c, e)).collect::<Vec<_>>(),
    })
}

/// One page of items (`base/collections/{id}/items`): `matched` are all the
/// features that match the query (see [`ItemsQuery::matches`]) in a stable
/// order; the page is `q.limit` of them from `q.offset`. A GeoJSON
/// FeatureCollection with `numberMatched`, `numberReturned`, `timeStamp`
/// (`now_ms`) and links `self`, `collection`, and `next`/`prev` when there
/// are more features after/before the page.
pub fn items_page(
    base: &str,
    c: Collection,
    q: &ItemsQuery,
    matched: &[Value],
    now_ms: i64,
) -> Value {
    let from = q.offset.min(matched.len());
    let to = from.saturating_add(q.limit).min(matched.len());
    let page = &matched[from..to];
    let items = format!("{base}/collections/{}/items", c.id());
    let mut links = vec![
        link(
            format!("{items}?{}", q.query_string(q.offset)),
            "self",
            GEOJSON,
            "This page",
        ),
        link(
            format!("{base}/collections/{}", c.id()),
            "collection",
            "application/json",
            c.title(),
        ),
    ];
    if to < matched.len() {
        links.push(link(
            format!("{items}?{}", q.query_string(to)),
            "next",
            GEOJSON,
            "Next page",
        ));
    }
    if q.offset > 0 {
        let prev = q.offset.saturating_sub(q.limit).min(matched.len());
        links.push(link(
            format!("{items}?{}", q.query_string(prev)),
            "prev",
            GEOJSON,
            "Previous page",
        ));
    }
    json!({
        "type": "FeatureCollection",
        "features": page,
        "links": links,
        "timeStamp": rfc3339(now_ms),
        "numberMatched": matched.len(),
        "numberReturned": page.len(),
    })
}

/// One feature (`base/collections/{id}/items/{featureId}`) with links
/// `self` and `collection`; `feature_id` is the id as it appears in the path.
pub fn item(base: &str, c: Collection, feature_id: &str, mut feature: Value) -> Value {
    let mut path_id = String::new();
    for b in feature_id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            path_id.push(char::from(b));
        } else {
            path_id.push_str(&format!("%{b:02X}"));
        }
    }
    if let Value::Object(m) = &mut feature {
        m.insert(
            "links".into(),
            json!([
                link(
                    format!("{base}/collections/{}/items/{path_id}", c.id()),
                    "self",
                    GEOJSON,
                    "This feature"
                ),
                link(
                    format!("{base}/collections/{}", c.id()),
                    "collection",
                    "application/json",
                    c.title()
                ),
            ]),
        );
    }
    feature
}

/// A minimal OpenAPI 3.0 definition of the paths above (`base/api`), for
/// clients that follow the landing page's `service-desc` link.
pub fn api_definition(base: &str, title: &str) -> Value {
    let ok =
        |desc: &str, media: &str| json!({"200": {"description": desc, "content": {media: {}}}});
    let with_errors = |mut r: Value| {
        r["400"] =
            json!({"description": "A bad query parameter (OGC exception: code, description)."});
        r["404"] = json!({"description": "No such collection or feature, or not released to you."});
        r
    };
    let collection_id = json!({"name": "collectionId", "in": "path", "required": true,
        "schema": {"type": "string", "enum": Collection::ALL.iter().map(|c| c.id()).collect::<Vec<_>>()}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": env!("CARGO_PKG_VERSION"),
                 "description": "OGC API - Features (Part 1 Core), filtered per partner by the items' labels."},
        "servers": [{"url": base}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/": {"get": {"summary": "Landing page", "responses": ok("Landing page", "application/json")}},
            "/api": {"get": {"summary": "This API definition", "responses": ok("OpenAPI 3.0", OPENAPI)}},
            "/conformance": {"get": {"summary": "Conformance classes", "responses": ok("Conformance declaration", "application/json")}},
            "/collections": {"get": {"summary": "Feature collections", "responses": ok("Collections", "application/json")}},
            "/collections/{collectionId}": {"get": {"summary": "One collection", "parameters": [collection_id],
                "responses": with_errors(ok("Collection", "application/json"))}},
            "/collections/{collectionId}/items": {"get": {"summary": "Items of a collection",
                "parameters": [collection_id,
                    {"name": "bbox", "in": "query", "style": "form", "explode": false,
                     "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
                    {"name": "datetime", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}],
                "responses": with_errors(ok("GeoJSON FeatureCollection", GEOJSON))}},
            "/collections/{collectionId}/items/{featureId}": {"get": {"summary": "One item",
                "parameters": [collection_id, {"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": with_errors(ok("GeoJSON Feature", GEOJSON))}},
        }
    })
}
