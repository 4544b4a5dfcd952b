"""Run changelist 0.5 against the GitHub API root in CHANGELIST_API_URL (a fake GitHub).

changelist builds PyGithub's client with its default API root and posts GraphQL queries to
https://api.github.com/graphql; both are pointed at the fake here, and nothing else changes.
Arguments are changelist's own.
"""

import os
import sys

import github
import requests
from changelist import _cli

API = os.environ["CHANGELIST_API_URL"].rstrip("/")
_Github = github.Github
_cli.Github = lambda token: _Github(token, base_url=API)
_post = requests.post


def _post_to_fake(url, *args, **kwargs):
    return _post(url.replace("https://api.github.com", API), *args, **kwargs)


requests.post = _post_to_fake
sys.exit(_cli.main())
