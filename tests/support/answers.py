"""Answer sets the tests start from: a plain partnership and a plain collaboration."""

from __future__ import annotations

from bot.core.models import Answers

PARTNERSHIP = Answers(
    horizon="open_ended",
    agreement="binding",
    aim="shared_goal",
    roles="specified",
    resources="pooled",
    decisions="joint_binding",
    benefits="net_profit",
    risk="shared",
    authority="co_branded",
)
COLLABORATION = Answers(
    horizon="short",
    agreement="informal",
    aim="shared_deliverable",
    roles="named_leads",
    resources="separate",
    decisions="advisory",
    benefits="access",
    risk="own",
    authority="co_branded",
)
