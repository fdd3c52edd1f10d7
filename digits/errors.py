"""How the course's own errors look in a notebook: their message, without a traceback.

The errors a student can meet on a first run (no MNIST and no internet, a damaged
model file) carry a message written for them, saying what to do. A notebook would
print it under a screen of traceback frames from inside the package; IPython shows
an exception that has a ``_render_traceback_`` method as whatever that returns, so
these show the one message instead. Outside IPython they are ordinary exceptions.
"""

from __future__ import annotations


class ShownAsMessage:
    """Mixin for exceptions whose message is all a notebook should show (`_render_traceback_`)."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]
