#include "traffic.h"

#include <QRandomGenerator>

#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace inkroom::bench {

namespace {
QString placeholderId()
{
    return u"L"_s + QString(kSenderDigits, u'0') + u'.' + QString(kStampDigits, u'0');
}

void writeDigits(char *at, quint64 value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        at[i] = char('0' + value % 10);
        value /= 10;
    }
}
} // namespace

QList<QPointF> randomStroke(quint32 seed, int n, QPointF centre)
{
    QRandomGenerator random(seed);
    QList<QPointF> points;
    points.reserve(n);
    QPointF p = centre;
    double heading = random.bounded(6.283);
    for (int i = 0; i < n; ++i) {
        heading += (random.bounded(1.0) - 0.5) * 0.6;
        p += QPointF(std::cos(heading), std::sin(heading)) * (1.0 + random.bounded(6.0));
        points.append(QPointF(std::round(p.x() * 4) / 4, std::round(p.y() * 4) / 4));
    }
    return points;
}

LiveStrokes::LiveStrokes(quint32 seed, int strokes)
{
    QRandomGenerator random(seed);
    const QString id = placeholderId();
    const QByteArray marker = "\"id\":\"L";
    for (int s = 0; s < strokes; ++s) {
        const int messages = 60 + int(random.bounded(121)); // 1 to 3 s at 60 Hz
        QList<QPointF> points;
        QList<int> counts;
        for (int m = 0; m < messages; ++m)
            counts.append(2 + int(random.bounded(4)));
        int total = 0;
        for (int c : counts)
            total += c;
        points = randomStroke(random.generate(), total,
                              QPointF(random.bounded(2000.0) - 1000, random.bounded(1200.0) - 600));
        m_points.append(points);
        int from = 0;
        for (int m = 0; m < messages; ++m) {
            proto::Live live;
            live.id = id;
            live.kind = proto::ItemKind::Stroke;
            live.colour = 0xff1e88e5;
            live.width = 3;
            live.from = quint32(from);
            live.points = points.mid(from, counts[m]);
            live.end = m == messages - 1;
            from += counts[m];
            Message message;
            message.bytes = proto::encode(live);
            const qsizetype at = message.bytes.indexOf(marker);
            Q_ASSERT(at >= 0);
            message.senderAt = at + marker.size();
            message.stampAt = message.senderAt + kSenderDigits + 1;
            message.end = live.end;
            message.stroke = s;
            m_messages.append(message);
        }
    }
}

void LiveStrokes::stamp(qsizetype i, int sender, quint64 micros, QByteArray &out) const
{
    const Message &message = m_messages[i];
    out = message.bytes;
    out.detach();
    writeDigits(out.data() + message.senderAt, quint64(sender), kSenderDigits);
    writeDigits(out.data() + message.stampAt, micros, kStampDigits);
}

bool readStamp(QByteArrayView bytes, int *sender, quint64 *micros)
{
    static constexpr QByteArrayView marker("\"id\":\"L");
    const qsizetype at = bytes.indexOf(marker);
    if (at < 0 || bytes.size() < at + marker.size() + kSenderDigits + 1 + kStampDigits)
        return false;
    const char *p = bytes.data() + at + marker.size();
    int s = 0;
    for (int i = 0; i < kSenderDigits; ++i)
        s = s * 10 + (p[i] - '0');
    p += kSenderDigits + 1;
    quint64 t = 0;
    for (int i = 0; i < kStampDigits; ++i)
        t = t * 10 + quint64(p[i] - '0');
    *sender = s;
    *micros = t;
    return true;
}

proto::Op strokeAdd(const QString &id, quint64 cseq, const QList<QPointF> &points)
{
    proto::Op op;
    op.kind = proto::OpKind::Add;
    op.cseq = cseq;
    op.item.id = id;
    op.item.kind = proto::ItemKind::Stroke;
    op.item.colour = 0xff1e88e5;
    op.item.width = 3;
    op.item.points = points;
    return op;
}

QString benchClientId(int index, const QString &runTag)
{
    return u"bench-%1-%2"_s.arg(runTag).arg(index, 5, 10, QChar(u'0'));
}

QByteArray helloBytes(int index, const QString &room, const QString &runTag, std::optional<proto::ResumePoint> resume)
{
    proto::Hello hello;
    hello.client = benchClientId(index, runTag);
    hello.secret = u"bench-secret-%1-%2"_s.arg(runTag).arg(index, 10, 10, QChar(u'0'));
    hello.name = u"Bench %1"_s.arg(index);
    hello.colour = 0xff000000 | (quint32(index) * 2654435761u & 0xffffff);
    hello.room = room;
    hello.resume = std::move(resume);
    return proto::encode(hello);
}

} // namespace inkroom::bench
