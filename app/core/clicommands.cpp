#include "clicommands.h"

#include "protocol.h"
#include "protocollimits.h"
#include "session.h"

#include <QFile>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

//! The next word of rest (or a "quoted phrase"), taken off its front.
QString takeWord(QString *rest)
{
    *rest = rest->trimmed();
    if (rest->startsWith(u'"')) {
        const qsizetype close = rest->indexOf(u'"', 1);
        if (close > 0) {
            const QString word = rest->mid(1, close - 1);
            *rest = rest->mid(close + 1).trimmed();
            return word;
        }
    }
    const qsizetype space = rest->indexOf(u' ');
    const QString word = space < 0 ? *rest : rest->left(space);
    *rest = space < 0 ? QString() : rest->mid(space + 1).trimmed();
    return word;
}

} // namespace

std::optional<CliCommand> parseCliCommand(const QString &line, QString *error)
{
    error->clear();
    QString rest = line;
    const QString verb = takeWord(&rest);
    const auto bad = [error](const QString &usage) {
        *error = u"usage: "_s + usage;
        return std::nullopt;
    };
    CliCommand command;
    if (verb == "/lock"_L1 || verb == "/unlock"_L1) {
        if (!rest.isEmpty())
            return bad(verb);
        command.kind = verb == "/lock"_L1 ? CliCommand::Kind::Lock : CliCommand::Kind::Unlock;
        return command;
    }
    if (verb == "/unfollow"_L1 || verb == "/summon"_L1 || verb == "/release"_L1) {
        if (!rest.isEmpty())
            return bad(verb);
        command.kind = verb == "/unfollow"_L1 ? CliCommand::Kind::Unfollow
            : verb == "/summon"_L1            ? CliCommand::Kind::Summon
                                              : CliCommand::Kind::Release;
        return command;
    }
    if (verb == "/laser"_L1 || verb == "/view"_L1) {
        const bool laser = verb == "/laser"_L1;
        command.kind = laser ? CliCommand::Kind::Laser : CliCommand::Kind::View;
        const QString usage = laser ? u"/laser X Y [X Y ...] (board coordinates)"_s : u"/view X Y W H"_s;
        for (const QString &word : rest.split(u' ', Qt::SkipEmptyParts)) {
            bool ok = false;
            const double value = word.toDouble(&ok);
            if (!ok || !std::isfinite(value))
                return bad(usage);
            command.numbers.append(value);
        }
        const qsizetype n = command.numbers.size();
        if (laser ? (n == 0 || n % 2 != 0) : n != 4)
            return bad(usage);
        return command;
    }
    if (verb == "/follow"_L1) {
        command.kind = CliCommand::Kind::Follow;
        command.name = takeWord(&rest);
        if (command.name.isEmpty() || !rest.isEmpty())
            return bad(u"/follow NAME"_s);
        return command;
    }
    if (verb == "/guests"_L1) {
        if (rest != "viewer"_L1 && rest != "editor"_L1)
            return bad(u"/guests viewer|editor"_s);
        command.kind = CliCommand::Kind::Guests;
        command.argument = rest;
        return command;
    }
    if (verb == "/role"_L1) {
        command.kind = CliCommand::Kind::Role;
        command.name = takeWord(&rest);
        command.argument = rest;
        if (command.name.isEmpty() || !proto::roleFromName(command.argument))
            return bad(u"/role NAME owner|editor|viewer"_s);
        return command;
    }
    if (verb == "/kick"_L1 || verb == "/ban"_L1) {
        command.kind = verb == "/kick"_L1 ? CliCommand::Kind::Kick : CliCommand::Kind::Ban;
        command.name = takeWord(&rest);
        if (command.name.isEmpty() || !rest.isEmpty())
            return bad(verb + u" NAME"_s);
        return command;
    }
    if (verb == "/rollback"_L1) {
        command.kind = CliCommand::Kind::Rollback;
        command.name = takeWord(&rest);
        command.argument = rest;
        bool ok = false;
        const int count = rest.toInt(&ok);
        if (command.name.isEmpty() || !ok || count < 1 || count > limits::MaxRollbackOps)
            return bad(u"/rollback NAME N (1 to %1)"_s.arg(limits::MaxRollbackOps));
        return command;
    }
    if (verb == "/stroke"_L1) {
        command.kind = CliCommand::Kind::Stroke;
        const QString usage =
            u"/stroke X Y X Y [X Y ...] (board coordinates, at most %1 points)"_s.arg(limits::MaxPointsPerItem);
        for (const QString &word : rest.split(u' ', Qt::SkipEmptyParts)) {
            bool ok = false;
            const double value = word.toDouble(&ok);
            if (!ok || !std::isfinite(value) || std::abs(value) > limits::MaxCoordinate)
                return bad(usage);
            command.numbers.append(value);
        }
        const qsizetype n = command.numbers.size();
        if (n < 4 || n % 2 != 0 || n / 2 > limits::MaxPointsPerItem)
            return bad(usage);
        return command;
    }
    if (verb == "/image"_L1) {
        command.kind = CliCommand::Kind::Image;
        command.argument = takeWord(&rest);
        bool okX = false;
        bool okY = false;
        const double x = takeWord(&rest).toDouble(&okX);
        const double y = takeWord(&rest).toDouble(&okY);
        if (command.argument.isEmpty() || !okX || !okY || !rest.isEmpty() || std::abs(x) > limits::MaxCoordinate
            || std::abs(y) > limits::MaxCoordinate)
            return bad(u"/image PATH X Y (a PNG, JPEG or WebP file, centred at X, Y)"_s);
        command.at = QPointF(x, y);
        return command;
    }
    if (verb == "/dm"_L1) {
        command.kind = CliCommand::Kind::Direct;
        command.name = takeWord(&rest);
        command.argument = rest;
        if (command.name.isEmpty() || command.argument.isEmpty())
            return bad(u"/dm NAME TEXT"_s);
        return command;
    }
    return std::nullopt;
}

bool needsMembers(const CliCommand &command)
{
    // A summon needs to know we own the room; a view or a laser trail goes only to members, once we are one.
    return !command.name.isEmpty() || command.kind == CliCommand::Kind::Summon
        || command.kind == CliCommand::Kind::Release || command.kind == CliCommand::Kind::Laser
        || command.kind == CliCommand::Kind::View;
}

bool runCliCommand(Session &session, const CliCommand &command, QString *error)
{
    QString target;
    if (!command.name.isEmpty()) {
        target = session.memberIdByName(command.name);
        if (target.isEmpty()) {
            *error = u"nobody in the room is called '%1' (or several are: give the client id)"_s.arg(command.name);
            return false;
        }
    }
    if (command.kind == CliCommand::Kind::Image) {
        QFile file(command.argument);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1: %2"_s.arg(command.argument, file.errorString());
            return false;
        }
        if (file.size() > 200LL * 1024 * 1024) {
            *error = u"%1 is larger than 200 MB"_s.arg(command.argument);
            return false;
        }
        return !session.addImageBytes(file.readAll(), command.at, error).isEmpty();
    }
    if (command.kind == CliCommand::Kind::Stroke) {
        proto::Item item;
        item.kind = proto::ItemKind::Stroke;
        item.colour = 0xff202020;
        item.width = 2;
        for (qsizetype i = 0; i + 1 < command.numbers.size(); i += 2)
            item.points.append(QPointF(command.numbers.at(i), command.numbers.at(i + 1)));
        if (session.addItem(item).isEmpty()) {
            *error = u"the stroke cannot be drawn here (a viewer, or no room)"_s;
            return false;
        }
        return true;
    }
    const bool forEverybody = command.kind == CliCommand::Kind::Direct || command.kind == CliCommand::Kind::Follow
        || command.kind == CliCommand::Kind::Unfollow || command.kind == CliCommand::Kind::Laser
        || command.kind == CliCommand::Kind::View;
    if (!forEverybody && !session.isOwner()) {
        *error = u"only the room's owners may do this"_s;
        return false;
    }
    bool queued = false;
    switch (command.kind) {
    case CliCommand::Kind::Role:
        queued = session.setMemberRole(target, command.argument);
        break;
    case CliCommand::Kind::Guests:
        queued = session.setGuestsReadOnly(command.argument == "viewer"_L1);
        break;
    case CliCommand::Kind::Lock:
    case CliCommand::Kind::Unlock:
        queued = session.setLocked(command.kind == CliCommand::Kind::Lock);
        break;
    case CliCommand::Kind::Kick:
    case CliCommand::Kind::Ban:
        queued = session.removeMember(target, command.kind == CliCommand::Kind::Ban);
        break;
    case CliCommand::Kind::Rollback:
        queued = session.rollbackMember(target, command.argument.toInt());
        break;
    case CliCommand::Kind::Direct:
        queued = session.sendDirect(target, command.argument);
        break;
    case CliCommand::Kind::Follow:
        if (!session.followMember(target)) {
            *error = target == session.clientId() ? u"you cannot follow yourself"_s
                                                  : u"'%1' is not online in the room"_s.arg(command.name);
            return false;
        }
        return true;
    case CliCommand::Kind::Unfollow:
        session.following()->stop();
        return true;
    case CliCommand::Kind::Laser:
        for (qsizetype i = 0; i + 1 < command.numbers.size(); i += 2)
            session.laserTo(command.numbers[i], command.numbers[i + 1]);
        session.laserEnd();
        return true;
    case CliCommand::Kind::View:
        if (command.numbers[2] <= 0 || command.numbers[3] <= 0) {
            *error = u"a view's width and height must be above 0"_s;
            return false;
        }
        session.setView(command.numbers[0], command.numbers[1], command.numbers[2], command.numbers[3]);
        return true;
    case CliCommand::Kind::Summon:
    case CliCommand::Kind::Release:
        queued = session.summonEveryone(command.kind == CliCommand::Kind::Summon);
        break;
    case CliCommand::Kind::Image:
    case CliCommand::Kind::Stroke:
        break; // handled above
    }
    if (!queued)
        *error = u"not sent (not valid)"_s;
    return queued;
}

} // namespace inkroom::client
