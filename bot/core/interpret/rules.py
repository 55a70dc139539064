r"""The phrase rules: which words state which answer.

Each rule names an answer, a regular expression over normalized text, and trigger
substrings: a match counts only where one of them appears (see reader.rules_for). Every
expression starts with `\b` and known words (or a digit), which lets the reader find in one
scan where each can match (see openings). `negatable` rules flip to the collaboration end
when negated; rules whose phrase already carries its own negation ("no end date") are not
negatable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Rule:
    """A phrase that states one answer."""

    key: str
    value: str
    pattern: re.Pattern[str]
    triggers: tuple[str, ...]
    negatable: bool = True


def rule(key: str, value: str, pattern: str, triggers: str, *, negatable: bool = True) -> Rule:
    """Compile one rule; `triggers` is a `|`-separated list of substrings, one of which every
    match of the pattern contains."""
    return Rule(key, value, re.compile(pattern), tuple(triggers.split("|")), negatable)


_SIDE = r"(?:side|party|parties|org|orgs|organi[sz]ation|organi[sz]ations|team|company|partner|of us|of them|one)s?"
_EACH = rf"(?:each|both|every|either)(?:\s+{_SIDE})?|we|they|everyone|both of us"
_OWN = r"(?:its|their|our|his|her)\s+own"
_MONEY = (
    r"(?:budgets?|funds?|funding|money|cash|capital|resources|staff|staffing|people|headcount|"
    r"teams?|assets|equipment|infrastructure|investment|spend|costs? base|r&d|marketing spend|"
    r"sales teams?|engineers|revenue streams?)"
)
_RISK = r"(?:risks?|losses|loss|liabilit(?:y|ies)|downside|exposure|debts?)"
_PROFIT = r"(?:net\s+)?(?:profits?|earnings|net income|surplus)"
_DECIDE = r"(?:decisions?|decision-making|decision making|calls|governance|say)"
_DEAL = (
    r"(?:term|deal|contract|agreement|partnership|collaboration|pilot|engagement|commitment|"
    r"program|programme|project|mou|arrangement|relationship|initiative|venture|tie-up|campaign|"
    r"sponsorship|jv|collab|thing|period|run|horizon|duration|timeline|trial)"
)
_BRAND = r"(?:brands?|branding|names?|logos?|identity|identities)"
_LAW_TAIL = r"\s+(?:law|laws|jurisdiction|courts?|rules)\b(?!\s*(?:firm|school|student|yer))"
_OTHER_PLACES = (
    r"(?:german|germany|french|france|dutch|netherlands|canadian|canada|ontario|quebec|"
    r"australian|australia|indian|india|irish|ireland|singapore|singaporean|japanese|japan|"
    r"swiss|switzerland|eu|european|spanish|spain|italian|italy|brazilian|brazil|mexican|"
    r"mexico|swedish|sweden|norwegian|norway|danish|denmark|finnish|finland|belgian|belgium|"
    r"austrian|austria|polish|poland|chinese|china|hong kong|korean|korea|israeli|israel|"
    r"south african|new zealand|nz|kenyan|kenya|nigerian|nigeria|emirati|uae|dubai|"
    r"luxembourg|portuguese|portugal|chilean|argentine|argentinian|colombian|"
    r"non-us|non-uk|foreign|local)"
)
_US_PLACES = (
    r"(?:us|usa|american|united states|federal|delaware|new york|ny|california|texas|"
    r"florida|illinois|massachusetts|washington state|nevada|colorado|georgia|virginia|"
    r"new jersey|pennsylvania|ohio|michigan)"
)
_UK_PLACES = (
    r"(?:uk|english|england(?: and wales)?|british|scottish|scots|scotland|welsh|"
    r"united kingdom|northern irish)"
)

RULES: Final[tuple[Rule, ...]] = (
    # horizon -----------------------------------------------------------------------------
    rule(
        "horizon",
        "short",
        r"\b(?:one[- ]off|one[- ]time|single[- ](?:event|project|campaign|engagement|"
        r"conference|launch)|short[- ]term|short[- ]lived|just (?:for )?(?:this|the|one) "
        r"(?:[\w-]+ ){0,2}?(?:event|project|campaign|conference|launch|season|semester|quarter|"
        r"show|gala|festival|fair|summit|hackathon|workshop|exhibition)|one event|a single "
        r"(?:[\w-]+ )?(?:event|gala|show|conference|workshop|campaign)|(?:for|over|during) "
        r"(?:one|a single|a) (?:weekend|evening|afternoon|night)|single (?:[\w-]+ )?(?:gala|"
        r"event|show|festival|fundraiser)|"
        r"ends? (?:when|once|after) the (?:project|event|campaign|launch|conference)|"
        r"(?:for|through) (?:this|the) (?:one )?(?:event|campaign|conference|season|semester)"
        r" only|temporary|time-boxed|timeboxed)\b",
        "one-off|one off|one-time|one time|one event|single|short|just|weekend|evening|"
        "afternoon|night|ends|only|temporar|timebox|time-box",
    ),
    rule(
        "horizon",
        "multi_year",
        r"\b(?:multi[- ]?year|multiple years)\b",
        "multi|multiple years",
    ),
    rule(
        "horizon",
        "open_ended",
        r"\b(?:open[- ]?ended(?! (?:questions?|survey|responses?|answers?|format|feedback|"
        r"prompts?|interview))|ongoing|on-going|indefinite(?:ly)?|in perpetuity|perpetual|"
        r"permanent(?:ly)?|evergreen|no (?:fixed |set |planned |defined )?(?:end|expiry|"
        r"expiration|termination) ?date|no (?:fixed|set|planned|defined) end\b|"
        r"(?:has|with|without) no (?:end|expiry|end date)|for the foreseeable future|"
        r"until (?:one|either) (?:side|party|of us) (?:ends|terminates|exits|walks|pulls)|"
        r"until further notice|rolling (?:basis|arrangement|agreement)|"
        r"(?:not|never) (?:time[- ]limited|time[- ]bound)|no time limit|"
        r"as long as (?:it works|we both want|both sides want)|for good|forever)\b",
        "open|ongoing|on-going|indefinit|perpetu|permanent|evergreen|end|expir|terminat|"
        "foreseeable|until|rolling|time-limit|time limit|time-bound|time bound|as long as|"
        "for good|forever",
        negatable=False,
    ),
    # agreement ---------------------------------------------------------------------------
    rule(
        "agreement",
        "informal",
        r"\b(?:informal (?:arrangement|understanding|agreement|deal|basis|partnership|"
        r"collaboration|setup|relationship|tie-up)|(?:it's|it is|keep it|keeping it|stays?|"
        r"remains?|all|totally|purely|entirely|very|fully|just|only|is|are|be) informal|handshake|gentlem[ae]n'?s agreement|verbal (?:agreement|"
        r"understanding|deal)|nothing (?:is |will be |gets |has been )?(?:signed|in writing|on "
        r"paper|written)|no (?:formal |written |signed |legal |binding )?(?:contract|"
        r"agreement|paperwork|papers|documents?)\b|(?:just|only) (?:an? )?(?:emails?|a "
        r"handshake|verbal|slack messages?|a chat)|on a handshake|exchange of emails|email agreement|"
        r"(?:emails?|handshake|verbal) only|by email only|nothing(?:'s| is)? (?:signed|in writing)|not signing anything|"
        r"(?:will|do|did) not sign anything|no paper(?:work)?|without (?:a |any )?(?:contract|"
        r"paperwork|agreement)|unsigned)\b",
        "informal|handshake|gentlem|verbal|nothing|contract|agreement|paper|document|"
        "email|slack|chat|sign",
        negatable=False,
    ),
    rule(
        "agreement",
        "mou",
        r"\b(?:mou|mous|memorandum of understanding|memo of understanding|letter of intent|"
        r"loi|non[- ]?binding (?:agreement|letter|document|charter|framework|term sheet|"
        r"protocol)|heads of (?:terms|agreement)|statement of intent|memorandum)\b",
        "mou|memo|letter of intent|loi|binding|heads of|statement of intent",
    ),
    rule(
        "agreement",
        "binding",
        r"\b(?:(?:legally )?binding (?:contract|agreement|deal)|legally binding|"
        r"(?:signed|formal|written|legal|proper|real|definitive|commercial|services|"
        r"licen[cs]e|licensing|supply|distribution|reseller|framework|full|binding)"
        r" (?:[\w-]+ ){0,2}?(?:contract|agreement)|(?:agreement|contract) (?:that |which )?"
        r"(?:binds|is binding)|(?:be|is|was) (?:a |any |an )?(?:formal |signed |binding )?"
        r"contract(?! (?:review|call|template|draft|meeting|lawyer|team))|(?:^|, )signed\b"
        r"(?! (?:up|nda))|(?:it's|it is|now|all|finally|everything(?:'s| is)?|papers|paperwork"
        r"|contract|deal|agreement) (?:is |are |got |been |was )?signed\b(?! (?:up|nda))|contract (?:is |was |has been |got |will be )?signed|"
        r"sign(?:ed|ing)? (?:a |the |an? actual |a proper |a formal |off on the |)"
        r"(?:contract|agreement)|(?:have|has|under|with|there is|there's|we've got) "
        r"(?:a |an )?(?:formal |signed |binding |actual |proper )?contract|"
        r"inked (?:a |the )?(?:deal|contract)|(?:msa|master services agreement)|put it "
        r"(?:all )?in a contract|contractually bound)\b",
        "binding|contract|agreement|signed|inked|msa|master services",
    ),
    rule(
        "agreement",
        "joint_entity",
        r"\b(?:joint[- ]venture(?: company| entity)?|jv|(?:new|joint|jointly[- ]owned|shared|"
        r"separate|dedicated|special[- ]purpose) (?:company|entity|llc|corporation|corp|"
        r"subsidiary|vehicle|spv|legal entity|limited company|newco)|newco|spv|"
        r"(?:form|forming|set up|setting up|create|creating|incorporate|incorporating|spin up|"
        r"spinning up|establish|establishing) (?:a |an )?(?:new |joint |jointly owned )?"
        r"(?:company|entity|llc|corporation|jv|joint venture|business together)|"
        r"(?:co-?own|both own|jointly own|hold shares in) (?:a |the )?(?:new )?(?:company|"
        r"entity|llc|business))\b",
        "joint|jv|company|entity|llc|corp|subsidiary|vehicle|spv|newco|business",
    ),
    # aim ---------------------------------------------------------------------------------
    rule(
        "aim",
        "own_goals",
        rf"\b(?:(?:{_EACH}) (?:has|have|pursues?|keeps?|chases?|is after|are after|with) "
        rf"{_OWN} (?:goals?|agendas?|objectives?|aims?|priorities|missions?|ends)|"
        r"(?:pursu\w*|chas\w*|follow\w*|serv\w*|has|have|keeps?|with) (?:our|their|its) own "
        r"(?:[\w-]+ )?(?:goals|agendas|objectives)|separate (?:goals|"
        r"agendas|objectives|aims)|different (?:goals|agendas|objectives|aims)|"
        r"(?:interests|goals) (?:merely |only |just )?overlap|overlapping (?:interests|goals)|"
        r"shared interests?|common interests?|mutual interests?|(?:interests|goals) "
        r"(?:happen to )?(?:align|line up) for now)\b",
        "own|separate|different|overlap|interest|align|line up",
    ),
    rule(
        "aim",
        "shared_deliverable",
        r"\b(?:(?:one|a|single|the) (?:joint|shared|common|co-authored|co-branded)? ?"
        r"(?:deliverable|output|report|whitepaper|white paper|study|paper|publication|event|"
        r"product launch|toolkit|dataset|prototype|conference) (?:together|jointly|between "
        r"us)(?:,? then (?:done|we are done|we part ways|it ends))?|(?:joint|shared|common) "
        r"(?:deliverable|output)|(?:co-?author|co-?write|co-?produce|co-?create|co-?host|"
        r"co-?organi[sz]e)(?:ing|ed)? (?:a|an|one|the) (?:single )?(?:report|paper|study|event|"
        r"whitepaper|white paper|guide|toolkit|conference|webinar|book)|"
        r"build(?:ing)? (?:one|a single) (?:thing|product|tool) together|(?:one|single) "
        r"(?:[\w-]+ ){0,2}?(?:deliverable|report|white paper|whitepaper|study|publication|"
        r"exhibition|dataset|dashboard|demo|prototype|toolkit|book|film|album|guide)\b|then (?:we are|we're) "
        r"done|one joint (?:thing|piece of work|project))\b",
        "deliverable|output|together|jointly|between us|author|write|produce|create|host|"
        "organi|done|one joint|report|paper|study|publication|exhibition|dataset|"
        "dashboard|demo|prototype|toolkit|book|film|album|guide",
    ),
    rule(
        "aim",
        "shared_goal",
        r"\b(?:shared (?:long[- ]term )?(?:goals?|missions?|visions?|purpose|objectives?|"
        r"ambitions?)|common (?:long[- ]term )?(?:goals?|missions?|visions?|purpose|"
        r"objectives?)|same (?:long[- ]term )?(?:goals?|mission|vision|objectives?)|"
        r"(?:both|we|they) (?:are )?commit(?:ted)? to (?:a|the|one|our|this) (?:shared |common "
        r"|same |long[- ]term |joint )*(?:goal|mission|vision|objective)|joint (?:long[- ]term )?"
        r"(?:goals?|mission|vision|objectives?)|(?:share|sharing) (?:a|one|the same|a common) "
        r"(?:[\w-]+ ){0,2}?(?:goal|mission|vision)|committed to (?:that|this|the|a|one) "
        r"(?:[\w-]+ ){0,2}?goal|long[- ]term goal (?:we|both|that we) "
        r"(?:share|both share|commit))\b",
        "goal|mission|vision|purpose|objective|ambition",
    ),
    # roles -------------------------------------------------------------------------------
    rule(
        "roles",
        "emergent",
        r"\b(?:roles? (?:are |is |r |will be |remain |stay |get )?(?:still |kinda |kind of |"
        r"just |pretty |very |quite |a bit |loose and )*(?:emerging|emergent|emerge|evolve|"
        r"flexible|fluid|evolving|informal|loose|undefined|not defined|not fixed|not set|ad hoc|"
        r"worked out as we go|figured out as we go|worked out (?:week by week|as we go|"
        r"along the way|later)|sorted out|figured out|worked out)|(?:nobody|no one)(?:'s| has| "
        r"is)? been assigned (?:a )?roles?|(?:figure|work|sort|hash)(?:ing)? out "
        r"(?:the )?(?:roles|who does what|responsibilities)(?: as we go| along the way| later| on "
        r"the fly)?|(?:roles|who does what|responsibilities) (?:as we go|along the way|on the "
        r"fly)|no (?:fixed|set|defined|formal|assigned|clear) (?:roles|responsibilities)|"
        r"(?:roles|responsibilities) will (?:emerge|evolve|sort themselves out)|"
        r"(?:whoever|whichever (?:side|team)) (?:has|picks up|grabs) (?:capacity|time|bandwidth)"
        r"|pick(?:ing)? (?:things|tasks|work) up as (?:they|it) come)\b",
        "role|who does what|responsib|whoever|whichever|pick",
    ),
    rule(
        "roles",
        "named_leads",
        r"\b(?:named (?:leads?|contacts?|owners?|points? of contact)|(?:a|one) (?:named )?"
        r"(?:lead|point person|point of contact|poc|owner|champion|project lead) (?:each|on each"
        r" side|per side|from each (?:side|org|team)|on both sides|for each (?:side|org))|"
        r"(?:each|both) (?:side|org|organi[sz]ation|party|team)s? (?:has|have|names?|appoints?"
        r"|nominates?) (?:a|one|its|their) (?:own )?(?:lead|point person|point of contact|poc|"
        r"owner|champion|coordinator|liaison)|leads? on (?:each|both) sides?|"
        r"(?:single|one) point of contact (?:each|per side|on each side)|is (?:our|their|the) "
        r"(?:lead|point person|point of contact|poc)\b|leads? for (?:us|them|our side|their side)"
        r"|(?:each|both)(?: side| party)? (?:have |has )?named (?:a|one) lead|(?:designate|appoint"
        r"|name|nominate)s? (?:a |one )?(?:single )?(?:lead|point of contact|poc|project lead|"
        r"coordinator))\b",
        "named|lead|point|poc|owner|champion|coordinator|liaison",
    ),
    rule(
        "roles",
        "specified",
        r"\b(?:roles? (?:and (?:responsibilities|obligations) )?(?:are |is |will be |have been "
        r")?(?:not )?(?:clearly )?(?:specified|defined|set out|spelled out|spelt out|written (?:down|up|"
        r"out)|documented|assigned|allocated|fixed|nailed down|laid out|codified)|"
        r"(?:specified|defined|assigned|written|contractual|documented|clear) (?:roles|"
        r"responsibilities|obligations|duties)|raci|(?:statement of work|sow) (?:with|that|"
        r"sets|defining|spells)|responsibilities (?:are |set |spelled |written )?(?:out )?in "
        r"the (?:contract|agreement)|(?:each|both) (?:side|party)'?s? (?:obligations|duties) "
        r"(?:are )?(?:spelled|written|set|laid) out|(?:obligations|duties) (?:for each|of each) "
        r"(?:side|party) (?:are )?(?:defined|specified|set out|written down)|(?:duties|obligations|"
        r"responsibilities) (?:are |is )?(?:written|set out|spelled out|laid out|specified|"
        r"defined|documented) (?:into|in|with)?)\b",
        "role|specified|defined|assigned|written|contractual|documented|clear|raci|"
        "statement of work|sow|responsib|obligation|dut",
    ),
    # resources ---------------------------------------------------------------------------
    rule(
        "resources",
        "separate",
        rf"\b(?:(?:{_EACH}) (?:[\w-]+ ){{0,3}}?(?:funds?|pays?|covers?|runs?|uses?|manages?|"
        rf"finances?|bankrolls?|staffs?|resources?) (?:for )?{_OWN}"
        rf"(?: (?:{_MONEY}|work|way|costs?|operations|activities|part|side|piece|thing|stuff))?"
        rf"(?! (?:risks?|liabilit\w*|losses|books|goals|agenda))|(?:{_EACH}) (?:\w+ )?keeps? "
        rf"{_OWN}(?: {_MONEY}|(?=$|[,.;]))|separate (?:budgets?|funding|funds|resources|books|"
        r"accounts|staff|teams|p&ls?|pots)|self[- ]funded|self[- ]financed|"
        r"(?:own|their|our) (?:budget|funding|resources|money|staff) (?:separate|apart)|"
        r"(?:budgets|resources|funds|money) (?:stay|remain|are kept|kept) (?:separate|apart)|"
        r"each (?:pays?|funds?) (?:its|their|our) own way|pay our own way|"
        r"(?:nothing|no money|no resources|no budget|nothing) (?:is |gets |will be )?pooled|"
        r"(?:not|no) (?:sharing|pooling|combining) (?:any )?(?:budgets?|money|resources|"
        r"funds))\b",
        "own|separate|self|apart|pooled|sharing|pooling|combining",
        negatable=False,
    ),
    rule(
        "resources",
        "in_kind",
        r"\b(?:in[- ]kind|(?:exchang|swap|trad|barter|lend|loan|donat|contribut|chip\w* in)\w* "
        r"(?:[\w-]+ ){0,3}?(?:staff|people|time|data|equipment|space|venue|expertise|services|"
        r"hours|tools|engineers|labs?|facilities|content|credits|volunteers|rooms|analysts|"
        r"scientists?|researchers|ads)\b|barter(?:ing)?|(?:each|both)(?: side| party| org)? "
        r"(?:tracks|keeps track of) (?:its|their|what it)|tracked separately|(?:we|they) "
        r"(?:provide|supply|give|contribute|lend|host|run)\w* (?:[\w-]+ ){1,3}?(?:and|,|while) "
        r"(?:we|they)(?:'re| are)? (?:provide|supply|give|contribute|lend|host|run)\w*|"
        r"contribut\w* (?:staff|time|people|equipment|space|expertise|services|a venue|"
        r"facilities|hours|engineers) (?:rather than|instead of|not) (?:cash|money)|"
        r"(?:they|we) (?:provide|supply|give|contribute|bring) (?:the )?(?:venue|space|data|"
        r"staff|equipment|expertise|labs?)(?:,| and) (?:we|they) (?:provide|supply|give|"
        r"contribute|bring))\b",
        "kind|exchang|swap|trad|barter|lend|loan|donat|contribut|chip|track|provid|suppl|giv|host",
    ),
    rule(
        "resources",
        "pooled",
        rf"\b(?:pool(?:ed|ing|s)? (?:all |together |some |most |)(?:of )?(?:our |the |their |"
        rf"both |all |)(?:[\w-]+ )?(?:{_MONEY}|everything|anything|it all|together)|(?:we are|"
        rf"we'll|we will|will be|are|we're|were|is|be) (?:not |never )?pool(?:ed|ing)\b(?! (?:our |the |their )?(?:notes|ideas|"
        rf"thoughts|docs|links|feedback|data|contacts))|(?:joint|shared|common|combined|single|"
        rf"one) (?:budget|fund|pot|bank account|account|treasury|war chest|pool of (?:money|"
        rf"funds|resources)|p&l)|combin(?:e|ed|ing) (?:our |their |the |both |all )?"
        rf"{_MONEY}|(?:money|resources|budgets|funds|capital) (?:are |is |will be |get )?"
        r"(?:not )?(?:pooled|combined|merged|put together)|(?:as|into) (?:one|a common|a "
        r"single|a shared|a joint) pool|(?:all|both) (?:the |our |their )?(?:[\w-]+ )?"
        rf"{_MONEY} (?:go|goes|get put|are put) into (?:a |one |the )?(?:common|shared|joint|"
        r"single|new|same)|(?:managed|run) (?:jointly|together) as "
        r"equals|put (?:our |the |all )?(?:money|funds|capital|resources) (?:into|in) (?:a|one|"
        r"the) (?:common|shared|joint|single) (?:pot|fund|account|budget))\b",
        "pool|budget|fund|pot|account|treasury|war chest|p&l|combin|merged|put together|"
        "into|as equals",
    ),
    # decisions ---------------------------------------------------------------------------
    rule(
        "decisions",
        "independent",
        rf"\b(?:(?:{_EACH}) (?:decides?|makes? (?:{_OWN} |their |its )?(?:decisions|calls)|"
        rf"calls? (?:{_OWN} |its |their )?shots)(?: (?:on its own|for itself|for themselves|"
        r"independently|separately|alone|unilaterally))?|(?:decid\w*|decisions? (?:are )?made)"
        r" (?:independently|separately|unilaterally|alone|on (?:its|their|our) own)|"
        r"independent(?:ly)? (?:decisions?|decision-making|governance)|"
        rf"(?:{_OWN}|separate) (?:decisions|decision-making|governance|calls)|final say "
        r"(?:stays|rests|remains) with each|no (?:joint|shared|common) (?:decisions?|"
        r"decision-making|governance|votes?|vetoe?s?|board|steering)|decides? (?:for itself|for "
        r"themselves|on its own|independently|alone|its own (?:part|share|matters))|(?:has|have|"
        r"keeps?|holds?) the final say (?:on|over) (?:its|their|our) own)\b",
        "decid|decision|call|independent|final|governance|vote|veto|board|steering",
        negatable=False,
    ),
    rule(
        "decisions",
        "advisory",
        r"\b(?:advisory(?: (?:board|committee|group|council|panel|role|capacity|only|vote))?|"
        r"(?:steering|joint|working) (?:committee|group|board|council) (?:that |which )?"
        r"(?:only |just |merely )?(?:advises|recommends|makes recommendations|gives advice|is "
        r"advisory|has no (?:binding )?(?:power|authority|vote))|non[- ]?binding (?:votes?|"
        r"recommendations?|advice|input|decisions)|(?:can|may|will) (?:only|just|merely) advise|"
        r"gives? advice|makes suggestions|(?:only|just|merely) (?:advises|"
        r"recommends|gives advice)|in an advisory (?:role|capacity)|(?:recommendations|advice)"
        r" (?:only|that each side (?:can|may) (?:ignore|take or leave)))\b",
        "advis|recommend|advice|suggestion|binding|has no",
    ),
    rule(
        "decisions",
        "joint_binding",
        r"\b(?:joint(?:ly)? (?:decisions?|decide|decided|decision[- ]making|governance|"
        r"sign-?off|approvals?|control|votes?)|(?:decide|decided|decisions (?:are |get )?made) "
        r"(?:jointly|together|by consensus|by (?:a )?joint vote|unanimously)|binding "
        r"(?:votes?|decisions?|vetoe?s?)|(?:both|each|either) (?:side|party|board|org)s? "
        r"(?:has|have|holds?|gets?|can) (?:a )?(?:veto|vote|sign-off)|vetoe?s?(?: rights?| "
        r"power)?\b|unanimous(?:ly)? (?:[\w-]+ )?(?:consent|approval|decisions?|agreement|vote)|"
        r"(?:joint|shared|common) (?:board|steering committee|committee|council) (?:with|that "
        r"has|that makes) (?:binding |real )?(?:votes?|powers?|authority|decisions)|"
        r"both (?:must|have to|need to) (?:agree|approve|sign off)|mutual consent|"
        r"(?:we|they) decide (?:everything )?together|co-?decid\w*|(?:votes?|decisions?) "
        r"(?:[\w-]+ )?(?:bind|binds|are binding|is binding)\b|(?:need|needs|require|requires) "
        r"(?:both|all)(?: sides| parties| partners| boards| orgs| companies| teams)? to (?:agree|"
        r"approve|sign off)|mak\w* "
        r"(?:[\w-]+ )?decisions (?:together|jointly))\b",
        "joint|decid|decision|binding|bind|veto|vote|unanimous|consent|sign|agree|approve|"
        "board|committee|council",
    ),
    # benefits ----------------------------------------------------------------------------
    rule(
        "benefits",
        "access",
        r"\b(?:(?:both|each|every|all)(?: sides?| parties| members?| partners?)? (?:can|may|"
        r"get to|gets to|are free to|is free to) (?:re)?use|free to (?:re)?use|gets? (?:free |"
        r"early )?access to|access to (?:the |each other's |each others |their |our |shared |all )?"
        r"(?:outputs?|results?|data|research|findings|tools?|what|whatever|everything|"
        r"materials|content|platform|network|ip|insights|dataset|code|network)|"
        r"(?:each|both|everyone|all) (?:side|party|parties)?s? ?(?:gets?|gains?|has|have|keep) "
        r"(?:free )?(?:access|to use)|(?:free|open|mutual|shared|reciprocal) access|"
        r"(?:both|each|we|they) (?:can |may |get to )?use (?:the |all )?(?:results|outputs|"
        r"data|findings|what we (?:make|build|create|produce))|no (?:money|payments?|fees?|"
        r"cash) (?:changes|changing|will change|flows?|flowing) (?:hands|between us))\b",
        "access|use|reuse|hands|between us",
    ),
    rule(
        "benefits",
        "fees",
        r"\b(?:royalt(?:y|ies)(?!-free| free)|licen[cs](?:e|ing) fees?|(?:pays?|paying|charges?|charging|"
        r"earns?|earning|receives?|collects?|gets?) (?:us |them |you )?(?:a |an |the )?(?:[\w-]+ )"
        r"{0,2}?(?:fees?|retainer|commission|royalt\w*)|retainer|pays? (?:us |them )?per (?:unit|"
        r"copy|seat|sale|order|item)|percentage of (?:gross )?(?:sales|revenue)|(?:gross )?revenue[- ]share|rev[- ]share|"
        r"share of (?:gross )?(?:revenue|revenues|sales|turnover|receipts|bookings)|"
        r"(?:\d+(?:_\d+)?|a) ?(?:%|percent|per cent) (?:of|on) (?:gross |top-line |the )?"
        r"(?:sales|revenue|revenues|turnover|bookings|receipts)|commission|"
        r"(?:referral|service|management|licen[cs]e|flat|fixed|platform) fees?|fee[- ]based|"
        r"top[- ]line split|split (?:the )?(?:gross )?(?:revenue|sales|turnover)|"
        r"(?:gross )?(?:revenue|sales) (?:is |are |gets )?split|gross (?:revenue|returns|"
        r"receipts|sales))\b",
        "royalt|licen|fee|retainer|commission|per |percentage|revenue|rev|sales|turnover|"
        "receipts|bookings|top-line|top line|gross",
    ),
    rule(
        "benefits",
        "net_profit",
        rf"\b(?:(?:split|share|divide|dividing|sharing|splitting|shared|split|divided)\w* "
        rf"(?:the |any |all |our |their )?{_PROFIT}|(?<!non-)(?<!not-for-)(?<!non )"
        rf"{_PROFIT}(?: after (?:costs|expenses|tax)| and losses)? (?:are |is |will be |get |gets )?(?:split|shared|divided|allocated|"
        r"distributed)|profit[- ]shar(?:e|ing)|net profits?|share (?:of|in) (?:the )?"
        rf"(?:net )?{_PROFIT}|\d+\s?/\s?\d+ (?:split )?(?:of |on )?(?:the )?(?:net )?profits?|"
        r"profits? (?:split )?\d+\s?/\s?\d+|profit split|(?:in )?proportion(?:al|ate)?(?:ly)? "
        r"to (?:what (?:we|each side|each) (?:put|puts|invest|invests|risk|risks)|(?:our |"
        r"their )?(?:investment|stake|contributions?|risk))|(?:by|according to) (?:investment|"
        r"stake|what each (?:side )?(?:puts in|invests)))\b",
        "profit|earning|income|surplus|proportion|invest|stake|puts in",
    ),
    # risk --------------------------------------------------------------------------------
    rule(
        "risk",
        "own",
        rf"\b(?:(?:{_EACH})(?: each)? (?:shall |will |must |should )?(?:carries|carry|bears?|"
        rf"covers?|eats?|absorbs?|takes?|owns?|keeps?|shoulders?|is responsible for|are "
        rf"responsible for) {_OWN} (?:[\w-]+ )?(?:risks?|costs?|losses|"
        r"liabilit(?:y|ies)|downside|exposure|overruns?)|(?:at|on) (?:its|their|our) own "
        r"risk|(?:risks?|liabilit(?:y|ies)|losses) (?:stays?|remains?|are kept|kept) "
        r"(?:separate|with each|apart)|each (?:side|party)'?s? (?:own )?(?:risks?|liability) "
        r"(?:is|are) (?:its|their) own|no (?:shared|joint|common) (?:risks?|liabilit(?:y|ies)|"
        r"losses|downside|exposure)|on the hook (?:only )?for (?:its|their|our) own)\b",
        "own|risk|liab|loss|downside|exposure|hook",
        negatable=False,
    ),
    rule(
        "risk",
        "capped_split",
        r"\b(?:(?:split|share|divide|splitting|sharing|dividing|shared|divided)\w* (?:the |"
        r"some |certain |defined |agreed |specific |named |project |event |)(?:[\w-]+ )?(?:costs?|expenses?|"
        r"overruns?|budget overruns?)(?: \w+){0,6}? (?:capped|with a cap|up to|to a (?:max|"
        r"maximum|limit)|not to exceed|not exceeding|limited to|max(?:imum)? of|with a ceiling)|"
        r"(?:costs?|contributions?|expenses?)\b(?: [\w$,_£€]+){0,10}? (?:shall|will|must|can|may)"
        r" not exceed|(?<!after )(?:costs?|expenses?)(?: [\w-]+){0,4}? (?:are |is |get |will be )?(?:split|"
        r"shared|divided)(?: \w+){0,5}?"
        r" (?:capped|with a cap|up to|to a max|limited to|not (?:to )?exceed\w*)|"
        r"capped (?:cost[- ]shar\w*|liability|exposure|contributions?|split)|"
        r"(?:costs?|exposure|liability|contributions?|overruns?) (?:are |is )?capped|"
        r"cap (?:on|of) (?:\$|£|€)?\d[\d,_]*k?|(?:defined|agreed|specific|named) costs "
        r"(?:are |get )?split|cost[- ]shar\w*(?: \w+){0,3}? (?:with a cap|capped|up to)|"
        r"(?<!after )(?:costs?|expenses?) (?:are |is |get |will be )?(?:split|shared|divided) "
        r"(?:\d+\s?/\s?\d+|evenly|equally|50-50|down the middle))\b",
        "cost|expense|overrun|cap|exceed|contribution",
    ),
    rule(
        "risk",
        "shared",
        rf"\b(?:(?:share|shared|sharing|split|splitting|pool|pooling|carry|bear)\w* (?:the |"
        rf"all |any |our |every |)(?:{_RISK})(?! (?:assessment|register|review))|"
        rf"taking on (?:any of )?(?:their|our|the other's) {_RISK}|"
        rf"{_RISK} (?:are |is |will be |get |gets )?(?:not )?(?:shared|split|joint|pooled|borne "
        r"(?:jointly|together|equally))|joint(?:ly)?(?: and several(?:ly)?)? (?:liable|"
        r"liability|liabilities|risk)|(?:we|they|both) (?:sink or swim|win or lose) together|"
        r"if it fails,? (?:we|both of us) (?:both )?(?:lose|take the hit|eat the loss)|"
        r"(?:we|both) (?:share|split|eat|absorb) (?:any |the )?(?:losses|downside))\b",
        "risk|loss|liab|downside|exposure|debt|joint|sink|win or lose|fail",
    ),
    # authority ---------------------------------------------------------------------------
    rule(
        "authority",
        "separate",
        rf"\b(?:(?:neither|no|nobody|no one)(?: side| party| one| of us| of them| org)? ?(?:can|"
        r"may|is able to|is allowed to|has (?:the )?authority to|has (?:the )?power to|gets to) "
        r"(?:sign|commit|bind|speak|contract|act)(?: anything| contracts)? (?:for |on behalf of "
        r"|on )?(?:the other(?:'s behalf)?|each other(?:'s behalf)?|both|us|them)|represent "
        r"(?:only )?(?:ourselves|themselves|itself)|(?:can|may) not "
        r"(?:bind|commit|sign for) (?:each other|the other|one another)|no (?:authority|"
        rf"power|right) to (?:bind|commit|sign for)|separate(?:ly)? {_BRAND}|separately "
        rf"branded|under (?:our|their|its) own {_BRAND}|(?:our|their) own {_BRAND} "
        r"(?:only|separately)|(?:keep|kept|stay|remain)\w* (?:fully )?(?:separate|"
        r"distinct|apart) (?:in public|publicly|to (?:customers|the market|the outside))|"
        r"(?:no|without) (?:co-?branding|joint branding|shared branding))\b",
        "neither|nobody|no one|no side|no party|can not|may not|no authority|no power|"
        "no right|represent|separate|own|distinct|apart|branding",
        negatable=False,
    ),
    rule(
        "authority",
        "co_branded",
        r"\b(?:co[- ]?brand(?:ed|ing|s)?|joint(?:ly)? branded|joint branding|dual[- ]?"
        r"brand(?:ed|ing)?|both (?:of our )?logos|(?:our|both|their) logos (?:side by side|"
        r"together|next to each other)|shared branding|logos side by side|(?:logo|logos|"
        r"imprints?|names?) (?:[\w-]+ ){0,6}?(?:next to|alongside|beside) (?:ours|theirs|each "
        r"other)|both (?:of )?our (?:imprints|logos|names|brands))\b",
        "brand|cobrand|logo|imprint|names",
    ),
    rule(
        "authority",
        "one_venture",
        r"\b(?:(?:as|under) (?:one|a single|a joint|a shared|a common|a unified|one shared|"
        r"one joint|a new) (?:venture|brand|name|entity|company|front|team|face|banner|"
        r"identity|organi[sz]ation|business)|one venture|single (?:brand|name|front) to "
        r"(?:customers|the market|the outside)|(?:present|market|pitch|appear|go to market|"
        r"show up|sell)\w* (?:ourselves |themselves |it )?(?:to (?:customers|clients|the "
        r"market|the outside world|the world) )?as (?:one|a single|a joint|a unified)|"
        r"(?:either|each|one|they|we) (?:side |party )?(?:can |may |will |)(?:signs?|sign "
        r"contracts|commit|bind) (?:contracts )?(?:for|on behalf of) (?:both|both of us|us all"
        r"|the other|each other|us|them)|(?:sign|signs|signing) (?:contracts |deals |agreements )?"
        r"on (?:our|their|each other's|the other's) behalf|(?:can|may) bind (?:each other|the other|both|us|them))\b",
        "as one|as a |under one|under a |one venture|single|present|market|pitch|appear|"
        "show|sell|sign|commit|bind|behalf",
    ),
    # context: label ----------------------------------------------------------------------
    rule(
        "label",
        "partnership",
        r"\b(?:(?:call|calls|calling|called|refer to|referring to|refers to|describe|"
        r"describing|brand|branding|pitch|pitching|announce|announced|announcing|labell?ed|"
        r"label|labell?ing|bill|billing|billed|market|marketing|dub|dubbed|name|named|term|"
        r"termed)\w* (?:it|this|them|the deal|the relationship|us|the arrangement)? ?(?:as |"
        r"internally |publicly |officially )?(?:as )?(?:a |an |our |the )?(?:[\w-]+ ){0,2}?"
        r"partner(?:ship)?s?|(?:internally|publicly|officially) (?:it's|it is) (?:the |a |an )?"
        r"(?:[\w-]+ ){0,2}?partnership|(?:(?:we|they|everyone|people|leadership|"
        r"the team|marketing|sales|internally)(?: all| just)? (?:say|says|call it))? ?"
        r"(?:it'?s|it is) (?:called|labell?ed|billed as|branded as|known as) (?:a |an )?"
        r"partnership|(?:the )?(?:press release|announcement|deck|slides|website|pr|blog post)"
        r" (?:says|calls it|announces|describes it as) (?:a |an |our )?(?:strategic )?"
        r"partnership|label:? partnership)\b",
        "partner",
    ),
    rule(
        "label",
        "collaboration",
        r"\b(?:(?:call|calls|calling|called|refer to|referring to|refers to|describe|"
        r"describing|brand|branding|pitch|pitching|announce|announced|announcing|labell?ed|"
        r"label|labell?ing|bill|billing|billed|market|marketing|dub|dubbed|name|named|term|"
        r"termed)\w* (?:it|this|them|the deal|the relationship|us|the arrangement)? ?(?:as |"
        r"internally |publicly |officially )?(?:as )?(?:a |an |our |the )?(?:strategic |"
        r"official |informal |)(?:[\w-]+ ){0,2}?collab(?:oration)?s?|(?:internally|publicly|"
        r"officially) (?:it's|it is) (?:the |a |an )?(?:[\w-]+ ){0,2}?collab(?:oration)?|(?:it'?s|it is) (?:called|labell?ed|"
        r"billed as|branded as|known as) (?:a |an )?collab(?:oration)?|(?:the )?(?:press "
        r"release|announcement|deck|slides|website|pr|blog post) (?:says|calls it|announces|"
        r"describes it as) (?:a |an |our )?collab(?:oration)?)\b",
        "collab",
    ),
    # context: competitors ----------------------------------------------------------------
    rule(
        "competitors",
        "yes",
        r"\b(?:(?:direct|indirect|main|biggest|key|major|fierce|closest|chief|arch|big|"
        r"potential|future|would-be|a|our|their|a direct) (?:competitors?|rivals?|"
        r"competition)\b(?! (?:law|rules|authority|regulator))|(?:we|they|both|the parties) "
        r"(?:also |directly |still |sometimes |often |could |might |will |may )?(?:do |does |"
        r"did |will |would )?(?:not |never )?"
        r"compete(?:s|d)?|competing (?:with|against|for|in|products|offerings|firms|businesses"
        r"|vendors)|compete (?:with|against|for|in|head to head)|frenemies|frenemy|"
        r"(?:are|is|they're|we're) (?:also )?(?:competitors?|rivals?)|go head to head|"
        r"same (?:customers|market|clients|space))\b",
        "compet|rival|frenem|head to head|same",
    ),
    rule(
        "competitors",
        "no",
        r"\b(?:non[- ]?compet(?:ing|itors?)|(?:no|zero|little) (?:overlap|competition) "
        r"(?:in|between|with)|different (?:markets|customers|sectors|industries)|not "
        r"(?:in )?(?:the same|a competing) (?:market|space|business)|no (?:competitive )?"
        r"overlap)\b",
        "compet|overlap|different|same",
        negatable=False,
    ),
    # context: for_profit -----------------------------------------------------------------
    rule(
        "for_profit",
        "yes",
        r"\b(?:(?:is|it's|be|being|run|runs|as a|a|strictly|purely|fully) for[- ]profit|"
        r"for[- ]profit (?:venture|activity|business|basis|thing|project|initiative|joint|"
        r"enterprise|operation|effort)|commercial (?:venture|activity|business|operation|enterprise|"
        r"play|offering|product|deal)|run (?:it |this |the \w+ )?as a (?:business|commercial"
        r" \w+)|to make (?:money|a profit|profits)|money[- ]making|profit[- ]making|"
        r"revenue[- ]generating|(?:is|it's) (?:not )?(?:a )?commercial|run for profit|sold "
        r"(?:\w+ )?(?:commercially|for profit))\b",
        "profit|commercial|business|money|revenue",
    ),
    rule(
        "for_profit",
        "no",
        r"\b(?:(?:not|non)[- ]for[- ]profit (?:activity|project|program|programme|initiative|"
        r"venture|effort|thing|work|basis|collaboration|partnership)|non[- ]?commercial|"
        r"pro[- ]bono|(?:no one|nobody|neither side|neither of us|no party) (?:is )?(?:making|"
        r"makes|will make|profits|earns) (?:any )?(?:money|profits?|a profit)|(?:not|never) "
        r"(?:run |done |meant |intended |carried on |conducted |operated )?(?:for profit|to make (?:money|a profit))|no profit "
        r"motive|charitable (?:project|program|programme|initiative|activity|effort|work|"
        r"purpose)|(?:purely |strictly )?(?:for )?(?:the )?public good|(?:non-?profit|"
        r"nonprofit) (?:activity|project|program|programme|initiative|venture|effort|basis)|"
        r"(?:activity|project|program|programme|initiative|venture|effort|work|thing|it'll|it) "
        r"(?:is|will be|be) (?:a )?(?:non-?profit|not-for-profit|charitable|non-commercial))\b",
        "profit|nonprofit|commercial|noncommercial|bono|nobody|no one|neither|no party|money|charit|public",
        negatable=False,
    ),
    # context: jurisdiction ---------------------------------------------------------------
    rule(
        "jurisdiction",
        "us",
        rf"\b(?:laws? of (?:the )?(?:state of )?{_US_PLACES}\b|{_US_PLACES}{_LAW_TAIL}|(?:governed by|under|subject to) (?:the )?(?:laws? "
        rf"of )?(?:the )?(?:state of )?{_US_PLACES}\b(?! (?:office|team|branch|entity))|"
        r"jurisdiction:? (?:is )?(?:the )?(?:us|usa|united states))",
        "law|jurisdiction|court|rules|governed|under|subject",
    ),
    rule(
        "jurisdiction",
        "uk",
        rf"\b(?:laws? of {_UK_PLACES}\b|{_UK_PLACES}{_LAW_TAIL}|(?:governed by|under|subject to) (?:the )?(?:laws? "
        rf"of )?{_UK_PLACES}\b(?! (?:office|team|branch|entity))|jurisdiction:? (?:is )?"
        r"(?:the )?(?:uk|england|united kingdom))",
        "law|jurisdiction|court|rules|governed|under|subject",
    ),
    rule(
        "jurisdiction",
        "other",
        rf"\b(?:{_OTHER_PLACES}{_LAW_TAIL}|(?:governed by|subject to) (?:the )?(?:laws? of )?"
        rf"{_OTHER_PLACES}\b|jurisdiction:? (?:is )?{_OTHER_PLACES}\b)",
        "law|jurisdiction|court|rules|governed|subject",
    ),
)
