#include "backoff.h"

#include <QTest>

using namespace inkroom::client;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void doublesFromTheFirstDelayUpToTheCap()
    {
        const Backoff backoff(Backoff::Params {500, 30000, 0.5}, 1);
        const QList<int> expected {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (int n = 1; n <= expected.size(); ++n)
            QCOMPARE(backoff.baseDelayMs(n), expected.at(n - 1));
        QCOMPARE(backoff.baseDelayMs(1000), 30000); // no overflow far out
    }

    void jitterStaysWithinItsShareAndSpreadsClients()
    {
        // 1,000 clients that lost the same server at the same moment: their first retries spread over
        // [250, 500] ms, later ones over [d/2, d], and never past the cap.
        QList<int> first;
        for (quint32 seed = 1; seed <= 1000; ++seed) {
            Backoff backoff(Backoff::Params {500, 30000, 0.5}, seed);
            const int delay = backoff.nextDelayMs();
            QVERIFY2(delay >= 250 && delay <= 500, qPrintable(QString::number(delay)));
            first.append(delay);
            for (int n = 2; n <= 12; ++n) {
                const int base = backoff.baseDelayMs(n);
                const int d = backoff.nextDelayMs();
                QVERIFY(d >= base / 2 && d <= base);
                QVERIFY(d <= 30000);
            }
        }
        std::sort(first.begin(), first.end());
        // Spread: no 10 ms window holds more than 10% of the clients, and the range is used.
        int worst = 0;
        for (qsizetype i = 0, j = 0; i < first.size(); ++i) {
            while (first.at(i) - first.at(j) > 10)
                ++j;
            worst = std::max(worst, int(i - j + 1));
        }
        QVERIFY2(worst < 100, qPrintable(QString::number(worst)));
        QVERIFY(first.first() < 275 && first.last() > 475);
    }

    void resetStartsOver()
    {
        Backoff backoff(Backoff::Params {100, 1000, 0.0}, 7);
        QCOMPARE(backoff.nextDelayMs(), 100);
        QCOMPARE(backoff.nextDelayMs(), 200);
        QCOMPARE(backoff.nextDelayMs(), 400);
        QCOMPARE(backoff.attempts(), 3);
        backoff.reset();
        QCOMPARE(backoff.attempts(), 0);
        QCOMPARE(backoff.nextDelayMs(), 100);
    }

    void sameSeedSameDelays()
    {
        Backoff a(Backoff::Params {500, 30000, 0.5}, 42);
        Backoff b(Backoff::Params {500, 30000, 0.5}, 42);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(a.nextDelayMs(), b.nextDelayMs());
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_client_backoff.moc"
