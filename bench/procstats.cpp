#include "procstats.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <QSysInfo>
#include <QThread>

#include <algorithm>

#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace inkroom::bench {

namespace {
QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

qint64 statusField(const QByteArray &status, const QByteArray &name)
{
    const qsizetype at = status.indexOf(QByteArray('\n' + name + ':'));
    if (at < 0)
        return 0;
    const qsizetype end = status.indexOf('\n', at + 1);
    return status.mid(at + name.size() + 2, end - at - name.size() - 2).trimmed().split(' ').value(0).toLongLong();
}
} // namespace

namespace {
//! User + system seconds from a /proc stat file's text; negative when it cannot be read.
double statCpuSeconds(const QByteArray &stat)
{
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    // After "pid (comm) ": field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}
} // namespace

ProcSample sampleProcess(qint64 pid, const QString &threadName)
{
    ProcSample sample;
    const double total = statCpuSeconds(readAll(u"/proc/%1/stat"_s.arg(pid)));
    const QByteArray status = QByteArray("\n") + readAll(u"/proc/%1/status"_s.arg(pid));
    if (total < 0)
        return sample;
    sample.processCpuSeconds = total;
    sample.cpuSeconds = total;
    if (!threadName.isEmpty()) {
        sample.cpuSeconds = 0;
        const QString tasks = u"/proc/%1/task"_s.arg(pid);
        const QStringList ids = QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &tid : ids) {
            if (readAll(tasks + u'/' + tid + u"/comm"_s).trimmed() == threadName.toUtf8())
                sample.cpuSeconds += std::max(0.0, statCpuSeconds(readAll(tasks + u'/' + tid + u"/stat"_s)));
        }
    }
    sample.rssKb = statusField(status, "VmRSS");
    sample.hwmKb = statusField(status, "VmHWM");
    sample.ok = true;
    return sample;
}

MachineCpu machineCpu()
{
    const QByteArray stat = readAll(u"/proc/stat"_s);
    const QList<QByteArray> fields = stat.left(stat.indexOf('\n')).simplified().split(' ');
    MachineCpu cpu;
    if (fields.size() < 9 || fields[0] != "cpu")
        return cpu;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    // user nice system idle iowait irq softirq steal
    for (int i = 1; i <= 8; ++i) {
        const double seconds = double(fields[i].toLongLong()) / ticks;
        if (i == 4 || i == 5)
            cpu.idle += seconds;
        else
            cpu.busy += seconds;
    }
    return cpu;
}

double selfCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

QString loadAverage()
{
    const QList<QByteArray> parts = readAll(u"/proc/loadavg"_s).split(' ');
    if (parts.size() < 3)
        return u"?"_s;
    return QString::fromLatin1(parts[0] + ' ' + parts[1] + ' ' + parts[2]);
}

double loadAverage1()
{
    return readAll(u"/proc/loadavg"_s).split(' ').value(0).toDouble();
}

qint64 raiseFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return qint64(limit.rlim_cur);
}

QString machineDescription()
{
    QString model = u"unknown CPU"_s;
    const QList<QByteArray> cpuinfo = readAll(u"/proc/cpuinfo"_s).split('\n');
    for (const QByteArray &line : cpuinfo) {
        if (line.startsWith("model name")) {
            model = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
            break;
        }
    }
    const qint64 memKb = statusField('\n' + readAll(u"/proc/meminfo"_s), "MemTotal");
    return u"%1 cores (%2), %3 GiB memory, %4 %5, Qt %6"_s.arg(QThread::idealThreadCount())
        .arg(model)
        .arg(double(memKb) / 1024.0 / 1024.0, 0, 'f', 1)
        .arg(QSysInfo::kernelType(), QSysInfo::kernelVersion(), QString::fromLatin1(qVersion()));
}

} // namespace inkroom::bench
