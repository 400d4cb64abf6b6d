#pragma once

#include <QList>
#include <QString>

#include <optional>

#include <QPointF>

namespace inkroom::client {

class Session;

/** @brief One of inkroom-cli's room commands: a line that drives a host control, a direct message or following.
 *
 * NAME is a member's display name (any case) or client id; a name with spaces is written in double quotes.
 * Lines that are not one of these commands are chat, as before.
 */
struct CliCommand
{
    enum class Kind {
        Role, //!< /role NAME owner|editor|viewer
        Guests, //!< /guests viewer|editor: the role of everybody without one of their own
        Lock, //!< /lock
        Unlock, //!< /unlock
        Kick, //!< /kick NAME
        Ban, //!< /ban NAME
        Rollback, //!< /rollback NAME N
        Direct, //!< /dm NAME TEXT
        Follow, //!< /follow NAME: show what NAME's window shows (for everybody)
        Unfollow, //!< /unfollow
        Summon, //!< /summon: ask everybody to follow us (owners)
        Release, //!< /release: let them go (owners)
        Laser, //!< /laser X Y [X Y ...]: point through these board points, then put the pointer down
        View, //!< /view X Y W H: the board rectangle this client shows (what its followers see)
        Image, //!< /image PATH X Y: a PNG, JPEG or WebP file, centred at X, Y (editors)
        Stroke, //!< /stroke X Y X Y [...]: a pen stroke through these board points (editors)
    };
    Kind kind = Kind::Lock;
    QString name;
    QString argument; //!< the role, the count or the text; the image's path
    QList<double> numbers; //!< /laser's and /stroke's points, /view's rectangle
    QPointF at {}; //!< /image: where
};

/** The command a line holds: nullopt for a line that is not a command (chat); *error set for a command that is
 *  malformed (then nullopt too). */
[[nodiscard]] std::optional<CliCommand> parseCliCommand(const QString &line, QString *error);
//! Does the command name a member or need the room (so it must wait until the catch-up is complete)?
[[nodiscard]] bool needsMembers(const CliCommand &command);
//! Queue the command's op in the session; false with *error when it cannot be made (unknown name, not an owner).
bool runCliCommand(Session &session, const CliCommand &command, QString *error);

} // namespace inkroom::client
