#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QJsonObject>

namespace inkroom::client {

class Session;

//! The JSON events inkroom-cli prints, one object per line, each with a "type".
namespace events {

[[nodiscard]] QJsonObject item(const proto::Item &item);
[[nodiscard]] QJsonObject member(const proto::Member &member);
//! "chat" for chat ops (seq, author, text, time, client, own), "op" for board ops.
[[nodiscard]] QJsonObject op(const proto::Op &op, bool own);
/** inkroom-cli --replay: one op of the history: type "history", seq, kind (the op's wire kind: "add", "chat", "dm",
 * ...), client, author, time, and what it did (as op() writes it). */
[[nodiscard]] QJsonObject historyOp(const proto::Op &op);
//! inkroom-cli --replay: the board the history starts from: type "history", kind "snapshot", seq, items.
[[nodiscard]] QJsonObject historySnapshot(quint64 seq, const QList<proto::Item> &items);
[[nodiscard]] QJsonObject presence(const proto::Presence &presence);
[[nodiscard]] QJsonObject welcome(const proto::Welcome &welcome);
[[nodiscard]] QJsonObject state(const Session &session);
[[nodiscard]] QJsonObject cursor(const proto::Cursor &cursor);
[[nodiscard]] QJsonObject live(const proto::Live &live);
[[nodiscard]] QJsonObject view(const proto::View &view);
[[nodiscard]] QJsonObject laser(const proto::Laser &laser);
[[nodiscard]] QJsonObject summon(const proto::Summon &summon);
//! One line: compact JSON and a newline.
[[nodiscard]] QByteArray line(const QJsonObject &event);

} // namespace events
} // namespace inkroom::client
