"""Domestic-violence service (women's support and the DVPP men's programme).

Its policy adds to the base table:
- nothing is ever disclosed to a woman's partner or ex-partner, and it is
  not staff's role to pass information between partners: a release to
  recipient ``partner`` is refused whatever consent is on file;
- HIV, ARC, AIDS or rape are never passed on without permission: the base
  table already removes them without the ``hiv`` / ``sexual_violence``
  scope;
- staff home address and phone are never disclosed: ``staff.personal`` is
  never released by the base table.
"""
from redactor import hookimpl

FORBIDDEN_RECIPIENTS = {"partner": "the service never discloses information to a partner or ex-partner "
                                   "(confidentiality policy 3.3.2)"}


@hookimpl
def redactor_check_release(context):
    return FORBIDDEN_RECIPIENTS.get(context.recipient)
