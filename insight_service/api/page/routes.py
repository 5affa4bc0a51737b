"""The page's views: the same ``index.html`` for every client-side route, and the hashed assets."""
from __future__ import annotations

from pathlib import Path

from flask import Response, send_file
from werkzeug.security import safe_join

from insight_service.api.page import bp
from insight_service.api.web.context import state
from insight_service.api.web.openapi import RouteSpec, api_route
from insight_service.core.errors import NotFound, Unavailable

STATIC_DIR = Path(__file__).with_name("static")
# the page loads nothing but its own files (no inline script or style, no other origin)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# asset names carry a hash of their content (Vite): a new build has new names
ASSET_CACHE = "public, max-age=31536000, immutable"
PAGE_SPEC = RouteSpec(summary="The dashboard page", auth=False, document=False, tags=("page",), errors=(503,))
ASSET_SPEC = RouteSpec(summary="An asset of the dashboard page", auth=False, document=False, tags=("page",),
                       errors=(404,))


def page_dir() -> Path:
    """The built page: INSIGHTS_PAGE_DIR, else the package's static folder."""
    given = state().settings.page_dir
    return Path(given) if given else STATIC_DIR


@bp.get("/")
@bp.get("/signin")
@bp.get("/dashboard")
@bp.get("/dashboard/<path:rest>")
@api_route(PAGE_SPEC)
def index(rest: str | None = None) -> Response:
    path = page_dir() / "index.html"
    if not path.is_file():
        raise Unavailable("the dashboard page is not built: run `npm ci && npm run build` in frontend/ "
                          "(it writes insight_service/api/page/static/)", code="page_not_built")
    response = send_file(path, mimetype="text/html", conditional=True, max_age=None)
    response.headers["Cache-Control"] = "no-cache"  # revalidate: a new build must show at once
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/assets/<path:filename>")
@api_route(ASSET_SPEC)
def asset(filename: str) -> Response:
    assets = page_dir() / "assets"
    found = safe_join(str(assets), filename)
    if found is None or not Path(found).is_file():
        raise NotFound(f"no such asset {filename[:100]!r}: the page may have been rebuilt, reload it",
                       code="not_found")
    response = send_file(found, conditional=True, max_age=None)
    response.headers["Cache-Control"] = ASSET_CACHE
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
