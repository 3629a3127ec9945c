//! Serving the output folder: tower-http's `ServeDir` (MIME types, ranges, `..` refused)
//! on a backend that also refuses any file whose real path is outside the folder
//! (symlinks pointing out), the site's own 404 page, and the reload script injected
//! into HTML on the way out.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response, StatusCode};
use axum::routing::get;
use axum::Router;
use tokio::sync::watch;
use tower_http::services::fs::{Backend, TokioBackend, TokioFile};
use tower_http::services::ServeDir;

use super::reload::{self, SiteState};

/// Shared by every request.
pub struct App {
    out_dir: PathBuf,
    files: ServeDir<tower_http::services::fs::DefaultServeDirFallback, Confined>,
    state: watch::Receiver<SiteState>,
}

impl App {
    pub fn new(out_dir: PathBuf, state: watch::Receiver<SiteState>) -> App {
        let confined = Confined {
            root: Arc::new(out_dir.clone()),
        };
        App {
            files: ServeDir::with_backend(&out_dir, confined),
            out_dir,
            state,
        }
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            super::EVENTS_PATH,
            get(|State(app): State<Arc<App>>| async move { reload::events(app.state.clone()) }),
        )
        .route(super::SCRIPT_PATH, get(script))
        .fallback(site)
        .with_state(app)
}

async fn script() -> Response<Body> {
    let mut res = Response::new(Body::from(reload::SCRIPT));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    no_store(res)
}

/// A file of the site; the site's 404 page for anything else.
async fn site(State(app): State<Arc<App>>, mut req: Request) -> Response<Body> {
    // Served HTML carries the reload state, so it must never be answered with a 304
    // from an earlier state: ask for the whole file every time.
    for h in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::IF_MATCH,
        header::IF_RANGE,
    ] {
        req.headers_mut().remove(h);
    }
    let head = req.method() == Method::HEAD;
    // The state is taken before the file is read: a page read just before a rebuild
    // wrote it then carries the older generation, and its tab reloads when told of the
    // newer one (taken after, an old page would pass for current).
    let state = app.state.borrow().clone();
    let res = match app.files.clone().try_call(req).await {
        Ok(res) => res.map(Body::new),
        // Without a fallback, ServeDir reports a missing file as an error.
        Err(e) if is_missing(&e) => return no_store(not_found(&app, &state).await),
        Err(e) => {
            let mut res = Response::new(Body::from(format!("cannot read the file: {e}")));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            res
        }
    };
    let res = if res.status() == StatusCode::NOT_FOUND {
        not_found(&app, &state).await
    } else if res.status() == StatusCode::OK && is_html(&res) && !head {
        inject(res, &state).await
    } else {
        res
    };
    no_store(res)
}

/// The site's `404.html` with status 404 (a plain page before the first good build).
async fn not_found(app: &App, state: &SiteState) -> Response<Body> {
    let page = match confine(&app.out_dir, &app.out_dir.join("404.html")).await {
        Ok(path) => tokio::fs::read(path).await.ok(),
        Err(_) => None,
    };
    let page = page.unwrap_or_else(|| {
        b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1><p>No such page.</p></body></html>\n".to_vec()
    });
    let mut res = Response::new(Body::from(with_script(page, state)));
    *res.status_mut() = StatusCode::NOT_FOUND;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

fn is_missing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::PermissionDenied
    )
}

fn is_html(res: &Response<Body>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

async fn inject(res: Response<Body>, state: &SiteState) -> Response<Body> {
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let mut res = Response::new(Body::from(format!("cannot read the file: {e}")));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let page = with_script(bytes.to_vec(), state);
    Response::from_parts(parts, Body::from(page))
}

/// `page` with the reload script before its last `</body>` (at the end if it has none).
fn with_script(mut page: Vec<u8>, state: &SiteState) -> Vec<u8> {
    let snippet = reload::snippet(state);
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    page.splice(at..at, snippet.into_bytes());
    page
}

fn no_store(mut res: Response<Body>) -> Response<Body> {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `ServeDir`'s file system, confined to the output folder: a path whose real location
/// (symlinks resolved) is outside it is "not found". The file opened is the resolved
/// one, so a link swapped between the check and the open changes nothing.
#[derive(Clone, Debug)]
pub struct Confined {
    root: Arc<PathBuf>,
}

type Boxed<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Backend for Confined {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Boxed<TokioFile>;
    type MetadataFuture = Boxed<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let root = self.root.clone();
        Box::pin(async move { TokioBackend.open(confine(&root, &path).await?).await })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let root = self.root.clone();
        Box::pin(async move { TokioBackend.metadata(confine(&root, &path).await?).await })
    }
}

/// The real path of `path` when it lies inside the real `root`.
async fn confine(root: &Path, path: &Path) -> io::Result<PathBuf> {
    // The root is resolved on every request: each build swaps a new folder in.
    let root = tokio::fs::canonicalize(root).await?;
    let real = tokio::fs::canonicalize(path).await?;
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            "outside the site folder",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let state = SiteState::start();
        let page = with_script(b"<html><body><p>a</p></BODY></html>".to_vec(), &state);
        let page = String::from_utf8(page).unwrap();
        let at = page.find("<script src=\"/__logsite/live.js\"").unwrap();
        assert!(page[at..].contains("></script></BODY></html>"), "{page}");
    }

    #[test]
    fn a_page_without_body_end_gets_the_script_at_the_end() {
        let page = with_script(b"<p>a</p>".to_vec(), &SiteState::start());
        assert!(String::from_utf8(page).unwrap().ends_with("</script>"));
    }
}
