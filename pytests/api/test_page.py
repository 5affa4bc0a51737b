"""The dashboard page's routes: index.html for every client-side route, hashed assets, their headers."""
from __future__ import annotations

from pathlib import Path

import pytest

from insight_service.api.page.routes import STATIC_DIR

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-3f2a9c.js"></script></head></html>'
ASSET = "console.log('dashboard');\n"
PAGE_ROUTES = ["/", "/signin", "/dashboard", "/dashboard/overview", "/dashboard/channels/ads?days=7"]


@pytest.fixture()
def built_page(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "index-3f2a9c.js").write_text(ASSET, encoding="utf-8")
    (tmp_path / "assets" / "index-77aa01.css").write_text("body{margin:0}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not an asset", encoding="utf-8")
    return tmp_path


@pytest.fixture()
def page_client(make_app, built_page):
    return make_app(page_dir=str(built_page)).test_client()


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]


@pytest.mark.parametrize("path", PAGE_ROUTES)
def test_every_page_route_serves_index_with_strict_headers(page_client, path):
    response = page_client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == INDEX
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_page_needs_no_key_and_sets_no_cookie(page_client):
    response = page_client.get("/dashboard/budget")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_index_revalidates_with_its_etag(page_client):
    first = page_client.get("/")
    again = page_client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name, mimetype, text", [
    ("index-3f2a9c.js", "text/javascript", ASSET), ("index-77aa01.css", "text/css", "body{margin:0}")])
def test_assets_are_immutable(page_client, name, mimetype, text):
    response = page_client.get(f"/assets/{name}")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == text
    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", ["/assets/index-000000.js", "/assets/../secret.txt", "/assets/%2e%2e/secret.txt",
                                  "/assets/", "/assets/..%2fsecret.txt", "/assets/assets/index-3f2a9c.js"])
def test_unknown_asset_is_a_404_envelope(page_client, path):
    response = page_client.get(path)
    error_of(response, 404, "not_found")
    assert b"not an asset" not in response.data


@pytest.mark.parametrize("path", ["/nope", "/signin/x", "/static/x.js", "/api/marketing/analytics/nope"])
def test_other_unknown_paths_stay_404_envelopes(page_client, path):
    error_of(page_client.get(path), 404, "not_found")


def test_page_not_built_is_a_503_saying_how_to_build(make_app, tmp_path):
    response = make_app(page_dir=str(tmp_path)).test_client().get("/")
    error = error_of(response, 503, "page_not_built")
    assert "npm run build" in error["message"]


def test_the_packaged_page_is_served(app):
    """The committed build (or its placeholder) ships in the package and has no inline script or style."""
    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    response = app.test_client().get("/")
    assert response.status_code == 200 and response.get_data(as_text=True) == index
    lowered = index.lower()
    assert "<style" not in lowered and " style=" not in lowered
    for chunk in lowered.split("<script")[1:]:
        assert " src=" in chunk.split(">")[0], "inline script"


def test_page_routes_are_not_in_the_openapi_document(app):
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    assert not any(p in paths for p in ("/", "/signin", "/dashboard", "/assets/{filename}"))
