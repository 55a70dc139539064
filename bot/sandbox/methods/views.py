"""views.open, views.push, views.update, views.publish."""

from __future__ import annotations

from typing import Any

from bot.sandbox.blocks import validate_view
from bot.sandbox.errors import ApiError, invalid_arguments
from bot.sandbox.state import SandboxState, View
from bot.sandbox.webapi import CallContext, MethodHandler


def _trigger(ctx: CallContext) -> str:
    trigger_id = ctx.opt_str("trigger_id") or ctx.opt_str("interactivity_pointer")
    if trigger_id is None:
        raise invalid_arguments("missing required field: trigger_id")
    return trigger_id


def open_view(ctx: CallContext) -> dict[str, Any]:
    """Open a modal with a fresh trigger_id (validated first, then the trigger is spent)."""
    trigger_id = _trigger(ctx)
    body = validate_view(ctx.args.get("view"), allowed_types=("modal",))
    state = ctx.state
    with state.lock:
        trigger = state.exchange_trigger(trigger_id, ctx.inst.team_id)
        state.close_modals(ctx.inst.team_id, trigger.user_id)
        view = state.create_view(ctx.inst.team_id, trigger.user_id, body)
        state.modal_stacks[(ctx.inst.team_id, trigger.user_id)] = [view.id]
        return {"view": state.view_json(view)}


def push(ctx: CallContext) -> dict[str, Any]:
    """Push a modal onto the user's open stack (at most 3 views)."""
    trigger_id = _trigger(ctx)
    body = validate_view(ctx.args.get("view"), allowed_types=("modal",))
    state = ctx.state
    with state.lock:
        trigger = state.exchange_trigger(trigger_id, ctx.inst.team_id)
        key = (ctx.inst.team_id, trigger.user_id)
        stack = state.modal_stacks.get(key, [])
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= state.MODAL_STACK_MAX:
            raise ApiError("push_limit_reached")
        top = state.views[stack[-1]]
        view = state.create_view(ctx.inst.team_id, trigger.user_id, body, root=top)
        view.previous_view_id = top.id
        stack.append(view.id)
        return {"view": state.view_json(view)}


def _keep_state(view: View, body: dict[str, Any]) -> dict[str, Any]:
    """Input a user typed survives an update when block_id and action_id stay the same."""
    kept: dict[str, Any] = {}
    for block in body.get("blocks", []):
        block_id = block.get("block_id")
        old = view.state_values.get(block_id)
        if not old:
            continue
        element = block.get("element") or {}
        action_ids = {element.get("action_id")} | {
            e.get("action_id") for e in block.get("elements", []) if isinstance(e, dict)
        }
        if block.get("accessory"):
            action_ids.add(block["accessory"].get("action_id"))
        survivors = {a: v for a, v in old.items() if a in action_ids}
        if survivors:
            kept[block_id] = survivors
    return kept


def replace_view(state: SandboxState, view: View, body: dict[str, Any]) -> None:
    """Replace a view's content in place: same id, new hash, surviving input kept."""
    state.check_external_id(view.team_id, body, except_view=view)
    view.state_values = _keep_state(view, body)
    view.body = body
    view.hash = state.new_view_hash()


def update(ctx: CallContext) -> dict[str, Any]:
    """Update an open view by view_id or external_id (`hash_conflict` on a stale hash)."""
    view_id = ctx.opt_str("view_id")
    external_id = ctx.opt_str("external_id")
    if view_id is None and external_id is None:
        raise invalid_arguments("missing required field: view_id or external_id")
    body = validate_view(ctx.args.get("view"), allowed_types=("modal", "home"))
    state = ctx.state
    with state.lock:
        view = state.find_view(ctx.inst.team_id, view_id=view_id, external_id=external_id)
        if body["type"] != view.type:
            raise invalid_arguments(f"must be {view.type} [json-pointer:/view/type]")
        expected = ctx.opt_str("hash")
        if expected is not None and expected != view.hash:
            raise ApiError("hash_conflict")
        replace_view(state, view, body)
        return {"view": state.view_json(view)}


def publish(ctx: CallContext) -> dict[str, Any]:
    """Publish a user's Home tab (`hash_conflict` on a stale hash)."""
    body = validate_view(ctx.args.get("view"), allowed_types=("home",))
    state = ctx.state
    team_id = ctx.inst.team_id
    with state.lock:
        user = state.users.get(ctx.str_arg("user_id"))
        if user is None or user.is_bot or user.team_id != team_id:
            raise invalid_arguments("invalid user_id [json-pointer:/user_id]")
        key = (team_id, user.id)
        current_id = state.home_views.get(key)
        expected = ctx.opt_str("hash")
        if current_id is None:
            view = state.create_view(team_id, user.id, body)
            state.home_views[key] = view.id
        else:
            view = state.views[current_id]
            if expected is not None and expected != view.hash:
                raise ApiError("hash_conflict")
            replace_view(state, view, body)
        return {"view": state.view_json(view)}


METHODS: dict[str, MethodHandler] = {
    "views.open": open_view,
    "views.push": push,
    "views.update": update,
    "views.publish": publish,
}
