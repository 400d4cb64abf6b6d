#pragma once

#include <QString>

namespace inkroom::bench {

//! What /proc says about one process.
struct ProcSample
{
    bool ok = false;
    double cpuSeconds = 0; //!< user + system time so far
    qint64 rssKb = 0; //!< VmRSS now
    qint64 hwmKb = 0; //!< VmHWM: the peak resident set size so far
};

[[nodiscard]] ProcSample sampleProcess(qint64 pid);
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
