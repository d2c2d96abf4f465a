# Instance process of the fgs-emulator for Python runtimes.
# Protocol: one JSON object per line; requests on fd 3, answers on fd 4, so that the
# function's own stdout/stderr never mix with the protocol. The first request is the
# instance configuration; the wrapper answers "ready" once the handler is loaded and the
# initializer (if any) ran. Then each "invoke" gets "log" lines and one "result".
import datetime
import importlib
import json
import os
import resource
import sys
import time
import traceback

_requests = os.fdopen(3, "r", encoding="utf-8")
_answers = os.fdopen(4, "w", encoding="utf-8")
_current = {"id": ""}


def _send(msg):
    _answers.write(json.dumps(msg) + "\n")
    _answers.flush()


class _Capture:
    """Replaces sys.stdout/sys.stderr: what the function prints becomes log lines of the current request."""

    def __init__(self, name):
        self.name = name

    def write(self, text):
        if text:
            _send({"type": "log", "id": _current["id"], "text": str(text)})
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class _Logger:
    def __init__(self, request_id):
        self._rid = request_id

    def _log(self, level, msg, *args):
        text = str(msg) % args if args else str(msg)
        _send({"type": "log", "id": _current["id"], "text": "%s %s %s %s\n" % (_now(), self._rid, level, text)})

    def info(self, msg, *args):
        self._log("INFO", msg, *args)

    def warn(self, msg, *args):
        self._log("WARN", msg, *args)

    warning = warn

    def error(self, msg, *args):
        self._log("ERROR", msg, *args)

    def debug(self, msg, *args):
        self._log("DEBUG", msg, *args)


class Context:
    """The context object of the FunctionGraph Python handler contract."""

    def __init__(self, meta, request_id, deadline_ms, alias=""):
        self._meta = meta
        self._rid = request_id
        self._deadline = deadline_ms
        self._alias = alias

    def getRequestID(self):
        return self._rid

    def getRemainingTimeInMilliSeconds(self):
        return max(0, int(self._deadline - time.time() * 1000))

    def getUserData(self, key, default=None):
        return self._meta["user_data"].get(key, default)

    def getFunctionName(self):
        return self._meta["function_name"]

    def getVersion(self):
        return self._meta["version"]

    def getMemorySize(self):
        return self._meta["memory_size"]

    def getCPUNumber(self):
        return self._meta["cpu_number"]

    def getProjectID(self):
        return self._meta["project_id"]

    def getPackage(self):
        return self._meta["package"]

    def getRunningTimeInSeconds(self):
        return self._meta["timeout"]

    def getAlias(self):
        return self._alias

    def getLogger(self):
        return _Logger(self._rid)

    # No agency exists in the emulator: temporary credentials are empty.
    def getAccessKey(self):
        return ""

    def getSecretKey(self):
        return ""

    def getSecurityAccessKey(self):
        return ""

    def getSecuritySecretKey(self):
        return ""

    def getSecurityToken(self):
        return ""

    def getToken(self):
        return ""


def _error(exc, kind=None):
    return {
        "errorMessage": str(exc),
        "errorType": kind or type(exc).__name__,
        "stackTrace": traceback.format_exception(type(exc), exc, exc.__traceback__)[1:-1],
    }


def _load(spec):
    module_name, _, func_name = spec.rpartition(".")
    if not module_name or not func_name:
        raise ValueError("handler %r is not MODULE.FUNCTION" % spec)
    module = importlib.import_module(module_name.replace("/", "."))
    fn = getattr(module, func_name, None)
    if not callable(fn):
        raise AttributeError("module %r has no function %r" % (module_name, func_name))
    return fn


def _serialise(value):
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _memory_used_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    conf = json.loads(_requests.readline())
    meta = conf["meta"]
    limit = conf.get("memory_limit_bytes", 0)
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, conf["code_dir"])
    sys.stdout, sys.stderr = _Capture("stdout"), _Capture("stderr")
    try:
        handler = _load(conf["handler"])
    except BaseException as exc:  # the module may raise anything while importing
        _send({"type": "ready", "error": _error(exc, "HandlerNotFound")})
        return
    _send({"type": "loaded"})
    if conf.get("initializer"):
        _current["id"] = "init"
        try:
            init = _load(conf["initializer"])
            init(Context(meta, "init", time.time() * 1000 + conf.get("initializer_timeout_ms", 3000)))
        except BaseException as exc:
            _send({"type": "ready", "error": _error(exc, "InitializerError")})
            return
    _send({"type": "ready"})
    for line in _requests:
        req = json.loads(line)
        _current["id"] = req["id"]
        ctx = Context(meta, req["id"], req["deadline_ms"], req.get("alias", ""))
        try:
            result = _serialise(handler(req["event"], ctx))
            _send({"type": "result", "id": req["id"], "ok": True, "result": result, "memory_mb": _memory_used_mb()})
        except BaseException as exc:
            _send({"type": "result", "id": req["id"], "ok": False, "error": _error(exc), "memory_mb": _memory_used_mb()})


main()
