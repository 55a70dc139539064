"""The check modal's submission: field errors, or ack and then classify, store and post."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack import ids
from bot.slack.builders.modal import ModalState
from bot.slack.deps import Deps
from bot.slack.failures import EDIT_LATER_TEXT, POST_LATER_TEXT, reported
from bot.slack.forms import read_submission
from bot.slack.links import archive_link
from bot.slack.notify import tell_user
from bot.store import DuplicateEventError, StoreError

logger = logging.getLogger(__name__)
REPLAYED = "ignored a repeated submission of the same modal"


def register(app: App, deps: Deps) -> None:
    """Wire the modal submission."""

    @app.view(ids.VIEW_CHECK)
    @reported
    def handle_check_submission(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        """Validate, ack (closing the modal or showing field errors), then do the work."""
        parsed = read_submission(view.get("state", {}).get("values", {}))
        if isinstance(parsed, dict):
            ack(response_action="errors", errors=parsed)
            return
        ack()
        state = ModalState.load(view.get("private_metadata"))
        user_id = body["user"]["id"]
        team_id = str(context.team_id)
        # A modal is submitted successfully once; the same submission again is a replay.
        key = f"view_submission:{view.get('id')}"
        if state.verdict_id is not None:
            if deps.store.claim_event(team_id, key, owner=key).status != "new":
                logger.warning(REPLAYED)
                return
            try:
                deps.verdicts.apply_edit(
                    client,
                    team_id=team_id,
                    user_id=user_id,
                    verdict_id=state.verdict_id,
                    base_revision=state.base_revision or 1,
                    submitted=parsed.answers,
                )
            except (SlackClientError, OSError) as error:
                if not slack_unavailable(error):
                    raise
                # Stored with its update and note owed: recovery makes them once Slack answers.
                logger.warning("edit stored, message not updated yet: %s", type(error).__name__)
                channel_id = deps.store.get_verdict(team_id, state.verdict_id).channel_id
                tell_user(client, user_id, EDIT_LATER_TEXT.format(channel=channel_id), channel_id)
            # Done: the replay marker is answered, so prune_events forgets it in time. The edit
            # is applied whatever happens here: a failure is not the person's to hear about.
            try:
                deps.store.advance_event(team_id, key, "answered", owner=key)
            except StoreError as error:
                logger.warning("edit applied, its replay marker not answered: %s", error)
            return
        channel_id = parsed.channel_id or state.channel_id or user_id
        domain = str((body.get("team") or {}).get("domain") or "")
        try:
            deps.verdicts.create_and_publish(
                client,
                team_id=team_id,
                enterprise_id=context.enterprise_id,
                user_id=user_id,
                channel_id=channel_id,
                answers=parsed.answers,
                pinned=parsed.pin,
                source_link=source_link(deps, client, team_id, domain, state),
                once_key=key,
            )
        except DuplicateEventError:
            logger.warning(REPLAYED)
        except (SlackClientError, OSError) as error:
            if not slack_unavailable(error):
                raise
            # Stored with its post pending: recovery posts it once Slack answers again.
            logger.warning("verdict stored, not posted yet: %s", type(error).__name__)
            tell_user(client, user_id, POST_LATER_TEXT.format(channel=channel_id), channel_id)


def slack_unavailable(error: Exception) -> bool:
    """Whether Slack itself failed (5xx, 429, no answer) rather than refusing the request."""
    if isinstance(error, SlackApiError):
        status = int(error.response.status_code)
        return status >= 500 or status == 429
    return True


def source_link(
    deps: Deps, client: WebClient, team_id: str, domain: str, state: ModalState
) -> str | None:
    """The link to the message a message shortcut assessed, if the modal came from one."""
    if state.source_channel is None or state.source_ts is None:
        return None
    link = deps.permalinks.get(client, team_id, state.source_channel, state.source_ts)
    if link is None:  # e.g. a private channel the bot is not in yet
        link = archive_link(domain, state.source_channel, state.source_ts)
    return link
