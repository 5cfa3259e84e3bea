//! The router: every URL of the site in one table.

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::handlers::{
    archive, article, assets, errors, feeds, home, lists, root, search, sitemaps,
};
use super::{AppState, cache};

/// Builds the site's router over a state.
pub fn build_app(state: AppState) -> Router {
    // Uploaded files are served as the type their extension names, never sniffed as
    // something else, and could not run script even if opened directly.
    let media = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(
                "default-src 'none'; sandbox; frame-ancestors 'none'",
            ),
        ))
        .service(ServeDir::new(state.media_dir()));
    Router::new()
        .route("/", get(root::root))
        .route("/healthz", get(root::healthz))
        .route("/robots.txt", get(root::robots))
        .route("/prefs", post(root::set_prefs))
        .route("/static/{*file}", get(assets::static_file))
        .nest_service("/media", media)
        .route("/admin", get(|| async { super::page::moved("/admin/") }))
        .merge(super::admin::routes(state.clone()))
        .merge(super::api::routes())
        .route("/{edition}", get(root::edition_slash))
        .merge(pages(state.clone()))
        .merge(syndication())
        .fallback(errors::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::request_checks::refuse_bad_urls,
        ))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            errors::render_error_page,
        ))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::headers::add,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// The reader's pages, served through the page cache.
fn pages(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/{edition}/", get(home::home))
        .route("/{edition}/articles/{slug}", get(article::natural))
        .route("/{edition}/articles/{slug}/{mode}", get(article::in_mode))
        .route("/{edition}/topics/{slug}", get(lists::topic))
        .route("/{edition}/authors/{slug}", get(lists::author))
        .route("/{edition}/sections/{slug}", get(lists::section))
        .route("/{edition}/archive/", get(archive::months))
        .route("/{edition}/archive/{year}/{month}", get(archive::month))
        .route("/{edition}/search", get(search::search))
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            cache::serve_cached,
        ))
}

/// Feeds (`feed.atom`, `feed.rss`, `feed.json` beside each list they follow) and sitemaps.
fn syndication() -> Router<AppState> {
    Router::new()
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemaps/{file}", get(sitemaps::file))
        .route("/{edition}/feed.atom", get(feeds::edition))
        .route("/{edition}/feed.rss", get(feeds::edition))
        .route("/{edition}/feed.json", get(feeds::edition))
        .route("/{edition}/dual/feed.atom", get(feeds::parallel))
        .route("/{edition}/dual/feed.rss", get(feeds::parallel))
        .route("/{edition}/dual/feed.json", get(feeds::parallel))
        .route("/{edition}/topics/{slug}/feed.atom", get(feeds::topic))
        .route("/{edition}/topics/{slug}/feed.rss", get(feeds::topic))
        .route("/{edition}/topics/{slug}/feed.json", get(feeds::topic))
        .route("/{edition}/authors/{slug}/feed.atom", get(feeds::author))
        .route("/{edition}/authors/{slug}/feed.rss", get(feeds::author))
        .route("/{edition}/authors/{slug}/feed.json", get(feeds::author))
        .route("/{edition}/sections/{slug}/feed.atom", get(feeds::section))
        .route("/{edition}/sections/{slug}/feed.rss", get(feeds::section))
        .route("/{edition}/sections/{slug}/feed.json", get(feeds::section))
}
