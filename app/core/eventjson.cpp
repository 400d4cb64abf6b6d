#include "eventjson.h"

#include "session.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace inkroom::client::events {

namespace {

QJsonArray points(const QList<QPointF> &list)
{
    QJsonArray flat;
    for (const QPointF &p : list) {
        flat.append(p.x());
        flat.append(p.y());
    }
    return flat;
}

} // namespace

QJsonObject item(const proto::Item &item)
{
    QJsonObject o {{"id"_L1, item.id},
                   {"kind"_L1, proto::itemKindName(item.kind)},
                   {"colour"_L1, proto::colourToString(item.colour)},
                   {"width"_L1, item.width},
                   {"points"_L1, points(item.points)}};
    if (item.fill)
        o.insert("fill"_L1, proto::colourToString(*item.fill));
    if (item.opacity != 1.0)
        o.insert("opacity"_L1, item.opacity);
    if (item.dash != proto::Dash::Solid)
        o.insert("dash"_L1, proto::dashName(item.dash));
    if (item.heads)
        o.insert("heads"_L1, proto::headsName(*item.heads));
    if (!item.widths.isEmpty()) {
        QJsonArray widths;
        for (double w : item.widths)
            widths.append(w);
        o.insert("widths"_L1, widths);
    }
    if (item.kind == proto::ItemKind::Text)
        o.insert("text"_L1, item.text);
    if (item.kind == proto::ItemKind::Image) {
        o.insert("blob"_L1, item.blob);
        o.insert("bytes"_L1, double(item.bytes));
    }
    return o;
}

QJsonObject member(const proto::Member &member)
{
    QJsonObject o {{"client"_L1, member.client},
                   {"name"_L1, member.name},
                   {"colour"_L1, proto::colourToString(member.colour)},
                   {"typing"_L1, member.typing}};
    if (member.role)
        o.insert("role"_L1, proto::roleName(*member.role));
    return o;
}

QJsonObject op(const proto::Op &op, bool own)
{
    QJsonObject o {{"seq"_L1, double(op.seq)},
                   {"client"_L1, op.client},
                   {"author"_L1, op.author},
                   {"time"_L1, double(op.time)},
                   {"own"_L1, own}};
    if (own)
        o.insert("cseq"_L1, double(op.cseq));
    if (proto::isMessageOp(op.kind)) {
        o.insert("type"_L1, "chat"_L1);
        o.insert("text"_L1, op.text);
        if (op.kind == proto::OpKind::Direct)
            o.insert("to"_L1, op.target); // a direct message: only its two people see it
        return o;
    }
    o.insert("type"_L1, "op"_L1);
    o.insert("kind"_L1, proto::opKindName(op.kind));
    switch (op.kind) {
    case proto::OpKind::Add:
    case proto::OpKind::Update:
        o.insert("item"_L1, item(op.item));
        break;
    case proto::OpKind::Move:
        o.insert("dx"_L1, op.dx);
        o.insert("dy"_L1, op.dy);
        [[fallthrough]];
    case proto::OpKind::Remove:
        o.insert("ids"_L1, QJsonArray::fromStringList(op.ids));
        break;
    case proto::OpKind::Restack: {
        o.insert("ids"_L1, QJsonArray::fromStringList(op.ids));
        QJsonArray z;
        for (qint64 value : op.z)
            z.append(double(value));
        o.insert("z"_L1, z);
        break;
    }
    case proto::OpKind::Rollback:
        o.insert("target"_L1, op.target);
        o.insert("count"_L1, op.count);
        if (op.undone)
            o.insert("undone"_L1, *op.undone);
        o.insert("ids"_L1, QJsonArray::fromStringList(op.ids));
        o.insert("restored"_L1, double(op.items.size()));
        break;
    case proto::OpKind::SetRole:
        o.insert("target"_L1, op.target);
        [[fallthrough]];
    case proto::OpKind::SetDefaultRole:
        o.insert("role"_L1, proto::roleName(op.role));
        break;
    case proto::OpKind::Kick:
        o.insert("target"_L1, op.target);
        o.insert("ban"_L1, op.ban);
        break;
    case proto::OpKind::Clear:
    case proto::OpKind::Chat:
    case proto::OpKind::Direct:
    case proto::OpKind::Lock:
    case proto::OpKind::Unlock:
        break;
    }
    return o;
}

QJsonObject historyOp(const proto::Op &op)
{
    QJsonObject o = events::op(op, false);
    o.insert("type"_L1, "history"_L1);
    o.remove("own"_L1);
    o.insert("kind"_L1, proto::opKindName(op.kind));
    return o;
}

QJsonObject historySnapshot(quint64 seq, const QList<proto::Item> &items)
{
    QJsonArray list;
    for (const proto::Item &i : items) {
        QJsonObject o = item(i);
        o.insert("z"_L1, double(i.z)); // the stacking order the history's board has
        list.append(o);
    }
    return QJsonObject {
        {"type"_L1, "history"_L1}, {"kind"_L1, "snapshot"_L1}, {"seq"_L1, double(seq)}, {"items"_L1, list}};
}

QJsonObject presence(const proto::Presence &presence)
{
    QJsonObject o = member(presence.member);
    o.insert("type"_L1, "presence"_L1);
    o.insert("event"_L1, proto::presenceEventName(presence.event));
    return o;
}

QJsonObject welcome(const proto::Welcome &welcome)
{
    QJsonArray members;
    for (const proto::Member &m : welcome.members)
        members.append(member(m));
    return QJsonObject {{"type"_L1, "welcome"_L1},
                        {"room"_L1, welcome.room},
                        {"you"_L1, welcome.you},
                        {"epoch"_L1, welcome.epoch},
                        {"head"_L1, double(welcome.head)},
                        {"acked"_L1, double(welcome.acked)},
                        {"snapshot"_L1, welcome.snapshot},
                        {"hasPassword"_L1, welcome.hasPassword},
                        {"defaultRole"_L1, proto::roleName(welcome.defaultRole)},
                        {"locked"_L1, welcome.locked},
                        {"members"_L1, members}};
}

QJsonObject state(const Session &session)
{
    QJsonObject o {{"type"_L1, "state"_L1},
                   {"state"_L1, stateName(session.state())},
                   {"attempt"_L1, session.attempt()},
                   {"pending"_L1, session.pendingCount()}};
    // The address in use: with several (--server repeated) it changes when a node is lost.
    if (!session.serverUrl().isEmpty())
        o.insert("server"_L1, session.serverUrl().toString());
    if (session.state() == Session::Reconnecting)
        o.insert("retryIn"_L1, session.retryIn());
    if (!session.reason().isEmpty())
        o.insert("reason"_L1, session.reason());
    if (session.failure() != Session::NoFailure)
        o.insert("failure"_L1, failureName(session.failure()));
    return o;
}

QJsonObject cursor(const proto::Cursor &cursor)
{
    return QJsonObject {{"type"_L1, "cursor"_L1},
                        {"client"_L1, cursor.client},
                        {"x"_L1, cursor.x},
                        {"y"_L1, cursor.y},
                        {"visible"_L1, cursor.visible}};
}

QJsonObject view(const proto::View &view)
{
    return QJsonObject {{"type"_L1, "view"_L1}, {"client"_L1, view.client}, {"x"_L1, view.x},
                        {"y"_L1, view.y},       {"w"_L1, view.w},           {"h"_L1, view.h}};
}

QJsonObject laser(const proto::Laser &laser)
{
    return QJsonObject {{"type"_L1, "laser"_L1},
                        {"client"_L1, laser.client},
                        {"points"_L1, points(laser.points)},
                        {"end"_L1, laser.end}};
}

QJsonObject summon(const proto::Summon &summon)
{
    return QJsonObject {{"type"_L1, "summon"_L1}, {"client"_L1, summon.client}, {"active"_L1, summon.active}};
}

QJsonObject live(const proto::Live &live)
{
    return QJsonObject {{"type"_L1, "live"_L1},
                        {"client"_L1, live.client},
                        {"id"_L1, live.id},
                        {"kind"_L1, proto::itemKindName(live.kind)},
                        {"colour"_L1, proto::colourToString(live.colour)},
                        {"width"_L1, live.width},
                        {"from"_L1, double(live.from)},
                        {"points"_L1, points(live.points)},
                        {"end"_L1, live.end}};
}

QByteArray line(const QJsonObject &event)
{
    return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace inkroom::client::events
