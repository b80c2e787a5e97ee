"""A carers' charity in Wales (guidance for employees).

Its policy adds to the base table: nothing is shared with family, friends
or carers against the person's wishes, so a release to recipient
``partner`` is refused unless the client's consent for that recipient is on
file and in force.
"""
from redactor import hookimpl

FAMILY_RECIPIENTS = {"partner"}


@hookimpl
def redactor_check_release(context):
    if context.recipient in FAMILY_RECIPIENTS and not any(c.in_force(context.today) for c in context.consents):
        return "nothing is shared with family, friends or carers without the person's consent on file"
    return None
