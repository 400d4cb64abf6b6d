#include "crashpoints.h"

#include <QByteArray>
#include <QtGlobal>

#include <atomic>
#include <csignal>
#include <cstring>

namespace inkroom::client {

namespace {

struct Target
{
    QByteArray step;
    long count = 0;
};

//! Read once: the environment of a process does not change under it here.
const Target &target()
{
    static const Target t = [] {
        Target result;
        const QByteArray spec = qgetenv("INKROOM_CRASH_AT");
        const qsizetype colon = spec.lastIndexOf(':');
        if (colon > 0) {
            result.step = spec.left(colon);
            result.count = spec.mid(colon + 1).toLong();
        }
        return result;
    }();
    return t;
}

std::atomic<long> s_passes {0};

} // namespace

void crashPoint(const char *step)
{
    const Target &t = target();
    if (t.count <= 0 || std::strcmp(step, t.step.constData()) != 0)
        return;
    if (s_passes.fetch_add(1) + 1 == t.count)
        std::raise(SIGKILL);
}

} // namespace inkroom::client
