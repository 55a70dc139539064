"""slack-sdk's OAuth stores on the store's engine, and their removal with the workspace."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.store import Store
from tests.store.helpers import OTHER_TEAM, TEAM

pytestmark = pytest.mark.usefixtures("needs_greenlet")


def installation(team_id: str) -> Installation:
    return Installation(
        app_id="A1",
        enterprise_id=None,
        team_id=team_id,
        user_id="U1",
        bot_token=f"xoxb-{team_id}",
        bot_id="B1",
        bot_user_id="UB1",
        bot_scopes="chat:write,commands",
    )


def test_installations_round_trip_and_go_with_the_team(store: Store) -> None:
    installations = store.installation_store("client-1")
    installations.save(installation(TEAM))
    installations.save(installation(OTHER_TEAM))
    bot = installations.find_bot(enterprise_id=None, team_id=TEAM)
    assert bot is not None
    assert bot.bot_token == f"xoxb-{TEAM}"

    store.delete_team(TEAM)
    assert installations.find_bot(enterprise_id=None, team_id=TEAM) is None
    assert installations.find_installation(enterprise_id=None, team_id=TEAM) is None
    assert installations.find_bot(enterprise_id=None, team_id=OTHER_TEAM) is not None


def test_oauth_state_is_single_use(store: Store) -> None:
    states = store.oauth_state_store(expiration_seconds=60)
    state = states.issue()
    assert states.consume(state)
    assert not states.consume(state)
