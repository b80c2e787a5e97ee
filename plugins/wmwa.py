"""Worcester Muslim Welfare Association.

Its policy adds to the base table: every written disclosure states that
its content is CONFIDENTIAL; counselling and support-session details are
never passed on unless the client asks (the base table keeps them only with
the ``counselling`` scope, which records that request).
"""
from redactor import hookimpl

DEFAULT_STATEMENT = "CONFIDENTIAL: disclosed in confidence for the stated purpose only; do not share further."


@hookimpl
def redactor_release_statements(context):
    return [context.config.get("confidential_statement") or DEFAULT_STATEMENT]
