#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QList>

#include <chrono>

namespace inkroom::bench {

//! Microseconds on the monotonic clock; every thread of the load generator reads the same clock.
[[nodiscard]] inline quint64 nowMicros()
{
    return quint64(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

//! Digits of the sender index and of the send time in a live message id: "L0042.000001234567890".
inline constexpr int kSenderDigits = 5;
inline constexpr int kStampDigits = 15;

/** @brief Pre-encoded live stroke messages, made once with the shared codec and stamped per send.
 *
 * A stroke is drawn at the send rate with 2 to 5 new points per message (what a 60 Hz pointer gives between two
 * sends), lasts 1 to 3 seconds, and ends with end: true. Messages are 150 to 230 bytes as sent, 64 to 256 once the
 * server has added the sender's client id. The live id carries the sender and the send time ("L<sender>.<micros>")
 * so a receiver reads the latency from the bytes without decoding the JSON; servers relay ids as opaque strings,
 * so every message looks like a fresh stroke to them (which changes nothing in what they do).
 */
class LiveStrokes
{
public:
    explicit LiveStrokes(quint32 seed, int strokes = 16);

    struct Message
    {
        QByteArray bytes;
        qsizetype senderAt = 0; //!< offset of the sender digits
        qsizetype stampAt = 0; //!< offset of the send-time digits
        bool end = false;
        int stroke = 0;
    };
    [[nodiscard]] const QList<Message> &messages() const { return m_messages; }
    //! The points of stroke n, for the durable add op that follows its end.
    [[nodiscard]] const QList<QPointF> &strokePoints(int n) const { return m_points[n]; }

    //! Copy message i into out with the sender and time filled in.
    void stamp(qsizetype i, int sender, quint64 micros, QByteArray &out) const;

private:
    QList<Message> m_messages;
    QList<QList<QPointF>> m_points;
};

//! Read the sender and send time from a received live message; false if it is not one of ours.
[[nodiscard]] bool readStamp(QByteArrayView bytes, int *sender, quint64 *micros);

//! A random-walk stroke of n points around centre, on quarter units like a pointer at some zoom gives.
[[nodiscard]] QList<QPointF> randomStroke(quint32 seed, int n, QPointF centre);
//! An add op for a stroke item.
[[nodiscard]] proto::Op strokeAdd(const QString &id, quint64 cseq, const QList<QPointF> &points);
//! The client id of bench client index (item ids the client makes are "<client id>:<n>").
[[nodiscard]] QString benchClientId(int index, const QString &runTag);
//! The hello of bench client index in room.
[[nodiscard]] QByteArray helloBytes(int index, const QString &room, const QString &runTag,
                                    std::optional<proto::ResumePoint> resume = std::nullopt);

} // namespace inkroom::bench
