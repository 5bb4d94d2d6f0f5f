# interop-oauth.py: an independent OAuth 2.0 / OpenID Connect client (Debian's
# python3-requests-oauthlib over python3-oauthlib, ID tokens checked with python3-jwt) against
# `ladle serve`. Usage: interop-oauth.py BASE_URL MODE; prints one JSON object, exits non-zero
# when something does not hold.
#
# Copyright 2026 The Ladle authors
# SPDX-License-Identifier: GPL-3.0-or-later

import html.parser
import json
import os
import sys
import time

# The provider is plain http on loopback
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

import jwt
import requests
from oauthlib.oauth2 import (BackendApplicationClient, LegacyApplicationClient,
                             WebApplicationClient)
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidClientError
from requests_oauthlib import OAuth2Session

BASE = sys.argv[1].rstrip("/")
MODE = sys.argv[2]
TOKEN_URL = BASE + "/oauth/token"
CLIENT_ID = "py-client"


def check(cond, what):
    if not cond:
        print(json.dumps({"mode": MODE, "failed": what}))
        sys.exit(1)


def discovery():
    doc = requests.get(BASE + "/.well-known/openid-configuration", timeout=10).json()
    check(doc["issuer"] == BASE, "issuer")
    return doc


def verify_id_token(id_token, doc, nonce=None):
    """Checks the signature against the JWKS (python-jwt fetches it), and the claims."""
    jwks_client = jwt.PyJWKClient(doc["jwks_uri"])
    key = jwks_client.get_signing_key_from_jwt(id_token)
    claims = jwt.decode(id_token, key.key, algorithms=["RS256"], audience=CLIENT_ID,
                        issuer=doc["issuer"])
    check(claims["sub"] == "user", "id_token sub")
    if nonce is not None:
        check(claims.get("nonce") == nonce, "id_token nonce")
    return claims


def userinfo(session_or_token):
    if isinstance(session_or_token, OAuth2Session):
        return session_or_token.get(BASE + "/oauth/userinfo", timeout=10)
    return requests.get(BASE + "/oauth/userinfo", timeout=10,
                        headers={"Authorization": "Bearer " + session_or_token})


class HiddenInputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")


def consent(url, decision):
    """The consent page, as a browser: read the form, post the decision, keep the redirect."""
    page = requests.get(url, timeout=10)
    check(page.status_code == 200, "consent page")
    parser = HiddenInputs()
    parser.feed(page.text)
    fields = dict(parser.fields, decision=decision)
    answer = requests.post(BASE + "/oauth/authorize", data=fields, allow_redirects=False,
                           timeout=10)
    check(answer.status_code == 302, "consent redirect")
    return answer.headers["Location"]


def client_credentials():
    client = BackendApplicationClient(client_id=CLIENT_ID)
    oauth = OAuth2Session(client=client)
    token = oauth.fetch_token(TOKEN_URL, client_id=CLIENT_ID, client_secret="secret",
                              scope=["read"])
    check(token["token_type"] == "Bearer" and "refresh_token" not in token, "token")
    info = userinfo(oauth).json()
    check(info["sub"] == CLIENT_ID, "userinfo sub")
    try:
        OAuth2Session(client=BackendApplicationClient(client_id=CLIENT_ID)).fetch_token(
            TOKEN_URL, client_id=CLIENT_ID, client_secret="wrong")
        check(False, "wrong secret accepted")
    except InvalidClientError as e:
        wrong = e.error
    return {"scope": token["scope"], "sub": info["sub"], "wrong_secret": wrong}


def password():
    doc = discovery()
    oauth = OAuth2Session(client=LegacyApplicationClient(client_id=CLIENT_ID),
                          scope=["openid", "profile"])
    # fetch_token() does not send the session's scope by itself
    token = oauth.fetch_token(TOKEN_URL, username="user", password="passwd",
                              client_id=CLIENT_ID, include_client_id=True,
                              scope=["openid", "profile"])
    claims = verify_id_token(token["id_token"], doc)
    info = userinfo(oauth).json()
    try:
        OAuth2Session(client=LegacyApplicationClient(client_id=CLIENT_ID)).fetch_token(
            TOKEN_URL, username="user", password="nope", client_id=CLIENT_ID,
            include_client_id=True)
        check(False, "wrong password accepted")
    except InvalidGrantError as e:
        wrong = e.error
    return {"id_token_sub": claims["sub"], "name": info.get("name"), "wrong_password": wrong}


def authorization_code():
    doc = discovery()
    redirect_uri = "http://127.0.0.1:9/callback"   # never contacted: the redirect is read
    results = {}
    for attempt in ("good", "mismatch"):
        client = WebApplicationClient(CLIENT_ID)
        verifier = client.create_code_verifier(64)
        challenge = client.create_code_challenge(verifier, "S256")
        oauth = OAuth2Session(client=client, redirect_uri=redirect_uri,
                              scope=["openid", "profile", "email"])
        nonce = "nonce-" + attempt
        url, state = oauth.authorization_url(doc["authorization_endpoint"],
                                             code_challenge=challenge,
                                             code_challenge_method="S256", nonce=nonce)
        location = consent(url, "approve")
        check(location.startswith(redirect_uri + "?"), "redirect_uri")
        sent = verifier if attempt == "good" else client.create_code_verifier(64)
        try:
            # oauthlib checks the state of the redirect against its own
            token = oauth.fetch_token(doc["token_endpoint"], authorization_response=location,
                                      code_verifier=sent, include_client_id=True)
        except InvalidGrantError as e:
            check(attempt == "mismatch", "good verifier refused: " + str(e))
            results["mismatch"] = e.error
            continue
        check(attempt == "good", "wrong verifier accepted")
        claims = verify_id_token(token["id_token"], doc, nonce)
        results["email"] = userinfo(oauth).json().get("email")
        results["state_len"] = len(state)
        results["nonce"] = claims["nonce"]

    # Denied: the redirect says so, with the state
    oauth = OAuth2Session(CLIENT_ID, redirect_uri=redirect_uri, scope=["openid"])
    url, state = oauth.authorization_url(doc["authorization_endpoint"])
    location = consent(url, "deny")
    check("error=access_denied" in location and ("state=" + state) in location, "denied")
    results["denied"] = "access_denied"
    return results


def refresh():
    doc = discovery()
    short_url = TOKEN_URL + "?expires_in=1"   # Ladle's knob: one-second access tokens
    oauth = OAuth2Session(client=LegacyApplicationClient(client_id=CLIENT_ID),
                          scope=["openid"])
    first = oauth.fetch_token(short_url, username="user", password="passwd",
                              client_id=CLIENT_ID, include_client_id=True, scope=["openid"])
    check(first["expires_in"] == 1, "expires_in knob")

    # Explicit refresh
    second = oauth.refresh_token(short_url, refresh_token=first["refresh_token"],
                                 client_id=CLIENT_ID, include_client_id=True)
    check(second["access_token"] != first["access_token"], "new access token")
    check(second["refresh_token"] != first["refresh_token"], "rotated refresh token")
    verify_id_token(second["id_token"], doc)

    # Automatic refresh: once the token expired, requests-oauthlib refreshes it by itself
    updates = []
    auto = OAuth2Session(CLIENT_ID, token=second, auto_refresh_url=TOKEN_URL,
                         auto_refresh_kwargs={"client_id": CLIENT_ID},
                         token_updater=updates.append)
    deadline = time.monotonic() + 10
    while userinfo(second["access_token"]).status_code == 200:
        check(time.monotonic() < deadline, "token never expired")
        time.sleep(0.1)
    info = userinfo(auto)
    check(info.status_code == 200 and len(updates) == 1, "automatic refresh")

    # A spent refresh token is refused
    try:
        oauth.refresh_token(TOKEN_URL, refresh_token=first["refresh_token"], client_id=CLIENT_ID,
                            include_client_id=True)
        check(False, "spent refresh token accepted")
    except InvalidGrantError as e:
        spent = e.error
    return {"auto_refreshed": len(updates), "sub": info.json()["sub"], "spent": spent}


def device():
    # oauthlib 3.2 has no device flow client: RFC 8628 with plain requests
    doc = discovery()
    d = requests.post(doc["device_authorization_endpoint"] + "?interval=1",
                      data={"client_id": CLIENT_ID, "scope": "openid"}, timeout=10).json()
    grant = "urn:ietf:params:oauth:grant-type:device_code"
    poll = {"grant_type": grant, "device_code": d["device_code"], "client_id": CLIENT_ID}
    first = requests.post(TOKEN_URL, data=poll, timeout=10)
    check(first.status_code == 400 and first.json()["error"] == "authorization_pending",
          "pending")
    page = requests.post(BASE + "/oauth/device",
                         data={"user_code": d["user_code"], "decision": "approve"}, timeout=10)
    check(page.status_code == 200, "device page")
    token = requests.post(TOKEN_URL, data=poll, timeout=10).json()
    verify_id_token(token["id_token"], doc)
    return {"device": "ok"}


MODES = {
    "client_credentials": client_credentials,
    "password": password,
    "authorization_code": authorization_code,
    "refresh": refresh,
    "device": device,
}

result = MODES[MODE]()
result["mode"] = MODE
print(json.dumps(result, sort_keys=True))
