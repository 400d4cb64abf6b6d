#pragma once

#include <QString>

namespace inkroom::bench {

//! What /proc says about one process.
struct ProcSample
{
    bool ok = false;
    double cpuSeconds = 0; //!< user + system time so far (of the named threads only, when a name was given)
    double processCpuSeconds = 0; //!< user + system time so far of the whole process
    qint64 rssKb = 0; //!< VmRSS now
    qint64 hwmKb = 0; //!< VmHWM: the peak resident set size so far
};

/** A sample of process pid. With a thread name, cpuSeconds counts only its threads of that name (the embedded
 *  server's "inkroom-host", next to a GUI thread that draws). */
[[nodiscard]] ProcSample sampleProcess(qint64 pid, const QString &threadName = {});
//! The whole machine's CPU time so far, in seconds summed over cores (from /proc/stat).
struct MachineCpu
{
    double busy = 0;
    double idle = 0;
};
[[nodiscard]] MachineCpu machineCpu();

//! User + system CPU seconds of this process (every thread).
[[nodiscard]] double selfCpuSeconds();
//! The three load averages, "0.42 0.61 0.70".
[[nodiscard]] QString loadAverage();
//! The first (1-minute) load average.
[[nodiscard]] double loadAverage1();
//! Raise the soft limit of open files to the hard limit (children inherit it). Returns the new soft limit.
qint64 raiseFileLimit();

//! One line each: cores, CPU model, memory, kernel, Qt.
[[nodiscard]] QString machineDescription();

} // namespace inkroom::bench
