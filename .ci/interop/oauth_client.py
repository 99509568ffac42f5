"""Sign in to sequentum-mcp's OAuth mode with the official Python MCP SDK (PyPI mcp 2.3.0).

The SDK's OAuthClientProvider runs the whole flow by itself: the 401 challenge, the resource
metadata, the authorization server's metadata, dynamic client registration, PKCE
authorization, the code exchange. The scripted user is this script: it opens the
authorization URL (adding `login_hint` to pick the account, as a user picks theirs on a login
page), the test authorization server approves at once, and the redirect's code goes back to
the SDK. Two users sign in in turn; each must see only their own agent.

usage: oauth_client.py --url URL/mcp
Exits non-zero with a message naming the user and the step that failed.
"""

import argparse
import asyncio
import sys
from urllib.parse import parse_qs, urlencode, urlparse

import httpx2
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata

REDIRECT = "http://127.0.0.1:1/callback"
EXPECTED = {"alice": ["Alice shop"], "bob": ["Bob books"]}


class MemoryStorage(TokenStorage):
    """Tokens and the registered client, for one user's session only."""

    def __init__(self):
        self.tokens = None
        self.client = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info):
        self.client = client_info


async def sign_in_and_list(url, user):
    answer = {}

    async def approve(authorization_url):
        # The scripted user: open the page, sign in as `user`, approve; follow nothing.
        async with httpx2.AsyncClient() as browser:
            page = await browser.get(f"{authorization_url}&{urlencode({'login_hint': user})}")
        if page.status_code not in (302, 303):
            raise SystemExit(f"{user}: the authorization server answered {page.status_code}")
        query = parse_qs(urlparse(page.headers["location"]).query)
        answer.update({k: v[0] for k, v in query.items()})

    async def callback():
        return AuthorizationCodeResult(code=answer["code"], state=answer.get("state"), iss=answer.get("iss"))

    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(
            client_name=f"interop-{user}",
            redirect_uris=[REDIRECT],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=MemoryStorage(),
        redirect_handler=approve,
        callback_handler=callback,
    )
    async with httpx2.AsyncClient(auth=provider, timeout=60.0) as http:
        async with streamable_http_client(url, http_client=http) as streams:
            read, write = streams[0], streams[1]
            async with ClientSession(read, write) as session:
                await session.initialize()
                result = await session.call_tool("list_agents", {})
    if result.is_error:
        raise SystemExit(f"{user}: list_agents failed: {result.content}")
    names = [agent["name"] for agent in result.structured_content["agents"]]
    if names != EXPECTED[user]:
        raise SystemExit(f"{user}: saw agents {names}, expected {EXPECTED[user]}")
    if "code" not in answer:
        raise SystemExit(f"{user}: the SDK never asked the user to sign in")
    print(f"ok    {user} signed in by the SDK's OAuth flow and sees only {names}")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    for user in EXPECTED:
        await sign_in_and_list(args.url, user)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as error:  # a readable line for the CI log, not a trace
        print(f"OAuth interop failed: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
