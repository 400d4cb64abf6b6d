#pragma once

//! Small helpers shared by the client tests. No Q_OBJECT here.

#include "board.h"
#include "protocol.h"
#include "session.h"
#include "timings.h"

#include <QTest>

#include <functional>

namespace inkroom::test {

//! Timings that make a test run take seconds: quick backoff, quick heartbeat.
[[nodiscard]] client::Timings fastTimings();

//! A stroke item with n points (not yet on any board).
[[nodiscard]] proto::Item strokeItem(const QString &id, int points = 3, double offset = 0);

//! A chat op as another client's, sequenced.
[[nodiscard]] proto::Op chatOp(quint64 seq, const QString &client, const QString &text, quint64 cseq = 1);
//! An add op as another client's, sequenced.
[[nodiscard]] proto::Op addOp(quint64 seq, const QString &client, const proto::Item &item, quint64 cseq = 1);

//! "seq author: text" for every confirmed chat message, for comparing chat lists.
[[nodiscard]] QStringList chatLines(const client::Session &session);

/** Randomized runs: run(seed, number) for runs seeds in a row from one seed. <variable>_SEED repeats a seed (else a
 *  random one) and <variable>_RUNS sets how many (else defaultRuns); the seed is printed first, and the first failed
 *  run ends it, saying which run and seed failed. */
void runSeeded(const QString &variable, int defaultRuns, const std::function<void(quint32 seed, int number)> &run);

} // namespace inkroom::test
