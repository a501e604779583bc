"""The peak memory of a child process, measured by the child itself.

``ru_maxrss`` (from ``wait4`` or ``getrusage``) is no good here: on Linux a child
started from a large test process inherits the parent's high-water mark at fork,
so late in a long test run every child looked as large as pytest itself. The
kernel's ``VmHWM`` in ``/proc/self/status`` is the high-water mark of the child's
own memory since it exec'd Python, which is what the bounds are about.
"""

from __future__ import annotations

import resource

#: Python source that, run first in a child, makes it write its peak (bytes) to the
#: file named by $FOURRESP_PEAK_FILE when it exits.
REPORT_AT_EXIT = """
import atexit as _atexit, os as _os
def _report_peak():
    target = _os.environ.get("FOURRESP_PEAK_FILE")
    if target:
        with open(target, "w") as _file:
            _file.write(str(_peak_bytes()))
def _peak_bytes():
    try:
        with open("/proc/self/status") as _status:
            for _line in _status:
                if _line.startswith("VmHWM:"):
                    return int(_line.split()[1]) * 1024
    except OSError:
        pass
    import resource as _resource
    return _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss * 1024
_atexit.register(_report_peak)
"""


def own_peak() -> int:
    """This process's own peak resident memory in bytes (VmHWM where there is /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
