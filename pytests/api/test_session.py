"""Sessions of the dashboard page: sign-in with a key, the signed cookie, CSRF, revocation, expiry, tenancy."""
from __future__ import annotations

import time

import psycopg
import pytest

from insight_service.api.web import auth
from insight_service.api.web.session import COOKIE_NAME, SessionSigner
from pytests.api.conftest import BASE
from pytests.api.fixtures import STORE_A, STORE_B, STORE_B_MARKERS, STORE_C


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]


def sign_in(client, key: str, **kwargs):
    return client.post(f"{BASE}/session", json={"api_key": key}, **kwargs)


def cookie_attributes(response) -> dict[str, str]:
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE_NAME + "="))
    name_value, *attributes = [part.strip() for part in header.split(";")]
    out = {"value": name_value.split("=", 1)[1]}
    for attribute in attributes:
        name, _, value = attribute.partition("=")
        out[name.lower()] = value
    return out


@pytest.fixture()
def signed_in(app, keys):
    """(client with store_a's session cookie, the sign-in data)."""
    client = app.test_client()
    response = sign_in(client, keys[STORE_A])
    assert response.status_code == 200, response.get_data(as_text=True)
    return client, response.get_json()["data"]


# ---- sign-in -------------------------------------------------------------------------------

def test_sign_in_sets_a_strict_http_only_cookie(app, keys):
    response = sign_in(app.test_client(), keys[STORE_A])
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["store_id"] == STORE_A and data["key_id"] == auth.parse_key(keys[STORE_A])
    assert len(data["csrf_token"]) == 64 and data["expires_at"].endswith("Z")
    cookie = cookie_attributes(response)
    assert "httponly" in cookie and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert cookie["max-age"] == str(8 * 3600)
    assert "secure" not in cookie  # plain http (the demo on 127.0.0.1)
    # the key is not in the cookie, not even its secret part
    assert keys[STORE_A] not in cookie["value"] and keys[STORE_A].split("_", 2)[2] not in response.get_data(True)


def test_cookie_is_secure_over_https(app, keys):
    response = sign_in(app.test_client(), keys[STORE_A], base_url="https://localhost")
    assert "secure" in cookie_attributes(response)


def test_max_age_follows_the_setting(make_app, keys):
    response = sign_in(make_app(session_ttl_s=600).test_client(), keys[STORE_A])
    assert cookie_attributes(response)["max-age"] == "600"


@pytest.mark.parametrize("key, needle", [
    ("mk_0123456789ab_" + "A" * 43, "invalid API key"), ("not-a-key", "invalid API key"), ("revoked", "revoked")])
def test_wrong_or_revoked_key_is_401(app, keys, key, needle):
    response = sign_in(app.test_client(), keys.get(key, key))
    error = error_of(response, 401, "unauthorized")
    assert needle in error["message"]
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("kwargs", [
    {"data": "api_key=mk_x", "content_type": "application/x-www-form-urlencoded"},
    {"data": "{not json", "content_type": "application/json"},
    {"json": ["mk_x"]}, {"json": {}}, {"json": {"api_key": 12}}, {"json": {"api_key": ""}},
    {"json": {"api_key": "mk_x", "store_id": STORE_B}}, {"json": {"api_key": "x" * 500}},
])
def test_malformed_sign_in_body_is_400(app, kwargs):
    response = app.test_client().post(f"{BASE}/session", **kwargs)
    error = error_of(response, 400, "invalid_parameter")
    assert error["details"][0]["param"] in ("api_key", "store_id")


# ---- using the session ---------------------------------------------------------------------

def test_session_describes_the_store(signed_in, marts_db):
    client, data = signed_in
    response = client.get(f"{BASE}/session")
    assert response.status_code == 200
    info = response.get_json()["data"]
    assert {k: info[k] for k in data} == data
    assert info["store"] == {"store_id": STORE_A, "name": "Store A", "currency": "USD",
                             "timezone": "America/New_York", "industry": "fashion", "locale": "en-US"}
    with psycopg.connect(marts_db.conninfo) as conn:
        built_at = conn.execute("select built_at from marts.mart_build_info").fetchone()[0]
        last = conn.execute("select last_data_date from marts.fct_store_data_dates where store_id = %s",
                            (STORE_A,)).fetchone()[0]
    assert info["data_as_of"] == built_at.isoformat()
    assert info["last_data_date"] == last.isoformat()


def test_session_reads_every_api_route(signed_in, api_a):
    client, _ = signed_in
    for path in ("/dashboard", "/attribution?model=all", "/calendar", "/funnel", "/budget/utilization"):
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        assert response.get_json() == api_a.get(path).get_json(), path
    export = client.get(f"{BASE}/export/channels.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"


def test_without_cookie_or_key_401(app):
    error_of(app.test_client().get(f"{BASE}/session"), 401, "unauthorized")


@pytest.mark.parametrize("tamper", ["flip", "payload", "garbage", "long"])
def test_tampered_cookie_is_401(signed_in, tamper):
    client, _ = signed_in
    value = client.get_cookie(COOKIE_NAME).value
    # itsdangerous prefixes a zlib-compressed payload with ".", so split from the right
    payload, timestamp, signature = value.rsplit(".", 2)
    changed = payload[-4]
    forged = {"flip": value[:-2] + ("AA" if value[-2:] != "AA" else "BB"),
              # a changed payload with the original signature
              "payload": ".".join((payload[:-4] + ("x" if changed != "x" else "y") + payload[-3:],
                                   timestamp, signature)),
              "garbage": "eyJrIjoiYWJjIn0.abc.def", "long": "A" * 2000}[tamper]
    client.set_cookie(COOKIE_NAME, forged)
    error_of(client.get(f"{BASE}/dashboard"), 401, "unauthorized")


def test_cookie_signed_with_another_secret_is_401(app, keys):
    foreign, _ = SessionSigner("another-secret-" + "x" * 32, 3600).issue(auth.ApiKey("0" * 12, STORE_A))
    client = app.test_client()
    client.set_cookie(COOKIE_NAME, foreign)
    error_of(client.get(f"{BASE}/dashboard"), 401, "unauthorized")


def test_a_secret_set_for_the_workers_is_shared(make_app, keys):
    """Two apps (two gunicorn workers) with the same INSIGHTS_SECRET_KEY accept each other's cookies."""
    secret = "s" * 40
    first, second = make_app(secret_key=secret).test_client(), make_app(secret_key=secret).test_client()
    sign_in(first, keys[STORE_A])
    second.set_cookie(COOKIE_NAME, first.get_cookie(COOKIE_NAME).value)
    assert second.get(f"{BASE}/store").status_code == 200


def test_expired_session_is_refused(make_app, keys):
    client = make_app(session_ttl_s=1).test_client()
    assert sign_in(client, keys[STORE_A]).status_code == 200
    assert client.get(f"{BASE}/store").status_code == 200
    time.sleep(2.1)
    # the browser would have dropped the cookie (Max-Age); a client that keeps it is refused anyway
    error = error_of(client.get(f"{BASE}/store"), 401, "unauthorized")
    assert "expired" in error["message"]


def test_revoked_key_ends_its_sessions(make_app, fresh_db):
    with psycopg.connect(fresh_db.conninfo) as conn:
        key_id, key = auth.create_key(conn, STORE_A, "page")
    # at once with the key cache off; with it, within INSIGHTS_KEY_CACHE_S (test_serving_fast.py)
    client = make_app(db=fresh_db, key_cache_s=0).test_client()
    assert sign_in(client, key).status_code == 200
    assert client.get(f"{BASE}/dashboard").status_code == 200
    with psycopg.connect(fresh_db.conninfo) as conn:
        auth.revoke_key(conn, key_id)
    error = error_of(client.get(f"{BASE}/dashboard"), 401, "unauthorized")
    assert "revoked" in error["message"]


def test_store_isolation_through_the_cookie(app, keys):
    clients = {}
    for store in (STORE_A, STORE_B, STORE_C):
        clients[store] = app.test_client()
        sign_in(clients[store], keys[store])
    for path in ("/dashboard", "/funnel", "/budget/utilization?month=2024-03", "/store", "/session",
                 "/calendar?start_date=2024-01-01&end_date=2024-04-30", "/export/calendar.csv?days=120"):
        text = clients[STORE_A].get(BASE + path + ("&" if "?" in path else "?") + "store_id=store_b").get_data(True)
        for marker in STORE_B_MARKERS:
            assert marker not in text, (path, marker)
    assert clients[STORE_B].get(f"{BASE}/store").get_json()["data"]["store_id"] == STORE_B
    assert clients[STORE_C].get(f"{BASE}/funnel").get_json()["data"]["channels"]["overall"]["impressions"] == 0


def test_bearer_header_wins_over_the_cookie(signed_in, keys):
    client, _ = signed_in
    data = client.get(f"{BASE}/session", headers={"Authorization": f"Bearer {keys[STORE_B]}"}).get_json()["data"]
    assert data["store_id"] == STORE_B and data["csrf_token"] is None and data["expires_at"] is None
    # a bad header is not rescued by a good cookie
    error_of(client.get(f"{BASE}/dashboard", headers={"Authorization": "Bearer nope"}), 401, "unauthorized")


def test_rate_limit_counts_per_key_through_the_cookie(make_app, keys):
    client = make_app(rate_limit="3/minute").test_client()
    sign_in(client, keys[STORE_A])
    statuses = [client.get(f"{BASE}/store").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    error_of(client.get(f"{BASE}/store"), 429, "rate_limited")
    # the same key through its Bearer header shares the count
    error_of(client.get(f"{BASE}/store", headers={"Authorization": f"Bearer {keys[STORE_A]}"}), 429, "rate_limited")


# ---- CSRF ------------------------------------------------------------------------------------

def test_cookie_post_needs_the_csrf_token(signed_in):
    client, data = signed_in
    error = error_of(client.post(f"{BASE}/insights/1/dismiss"), 403, "csrf_failed")
    assert "X-CSRF-Token" in error["message"]
    error_of(client.post(f"{BASE}/insights/1/dismiss", headers={"X-CSRF-Token": "0" * 64}), 403, "csrf_failed")
    # with the token the request reaches the view (no insight 1 for this store: 404)
    error_of(client.post(f"{BASE}/insights/1/dismiss", headers={"X-CSRF-Token": data["csrf_token"]}), 404,
             "insight_not_found")


def test_csrf_token_of_another_session_is_refused(app, keys, signed_in):
    client, _ = signed_in
    other = sign_in(app.test_client(), keys[STORE_A]).get_json()["data"]["csrf_token"]
    error_of(client.post(f"{BASE}/insights/1/dismiss", headers={"X-CSRF-Token": other}), 403, "csrf_failed")


def test_bearer_post_needs_no_csrf_token(api_a):
    error_of(api_a.post("/insights/1/dismiss"), 404, "insight_not_found")


def test_cookie_get_needs_no_csrf_token(signed_in):
    client, _ = signed_in
    assert client.get(f"{BASE}/dashboard").status_code == 200


# ---- sign-out --------------------------------------------------------------------------------

def test_sign_out_clears_the_cookie(signed_in):
    client, data = signed_in
    error_of(client.delete(f"{BASE}/session"), 403, "csrf_failed")
    response = client.delete(f"{BASE}/session", headers={"X-CSRF-Token": data["csrf_token"]})
    assert response.status_code == 200 and response.get_json()["data"] == {"signed_out": True}
    cookie = cookie_attributes(response)
    assert cookie["value"] == "" and cookie["max-age"] == "0"
    assert client.get_cookie(COOKIE_NAME) is None
    error_of(client.get(f"{BASE}/session"), 401, "unauthorized")


def test_a_copy_of_a_signed_out_cookie_is_refused_and_other_sessions_go_on(app, keys, signed_in):
    client, data = signed_in
    copied = client.get_cookie(COOKIE_NAME).value
    other = app.test_client()  # a second session of the same key (another browser)
    assert sign_in(other, keys[STORE_A]).status_code == 200
    assert client.delete(f"{BASE}/session", headers={"X-CSRF-Token": data["csrf_token"]}).status_code == 200
    thief = app.test_client()
    thief.set_cookie(COOKIE_NAME, copied)
    for path in ("/session", "/dashboard"):
        error = error_of(thief.get(f"{BASE}{path}"), 401, "unauthorized")
        assert "signed out" in error["message"]
    assert other.get(f"{BASE}/dashboard").status_code == 200
    # signing out twice with the copy is harmless (the revocation is recorded once)
    assert thief.delete(f"{BASE}/session", headers={"X-CSRF-Token": data["csrf_token"]}).status_code == 200


def test_sign_out_clears_a_stale_cookie_without_token(app):
    client = app.test_client()
    client.set_cookie(COOKIE_NAME, "stale.cookie.value")
    assert client.delete(f"{BASE}/session").status_code == 200
    assert client.get_cookie(COOKIE_NAME) is None
