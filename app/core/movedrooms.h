#pragma once

#include <QString>
#include <QUrl>

namespace inkroom::client {

/** @brief Where the rooms this user's journals belong to went (docs/PROTOCOL.md, "Handing a room over").
 *
 * A journal is filed under the address its room was first joined at, and stays there when the room moves: what
 * moves is this record, "the room joined at SERVER is served at URL now (certificate FP)", one JSON file in the
 * journals' folder ({"rooms": [{"server", "room", "url", "fp", "moved"}]}), rewritten whole (QSaveFile) under a
 * lock. So a kill at any moment leaves the work in exactly one journal, found by the old address and by the new:
 * before the record is written the room is still known by its old address only, afterwards by both, and the
 * journal never has a second copy. An empty folder keeps nothing (no journal either).
 */
class MovedRooms
{
public:
    //! Where to connect for a room, and which journal holds its work.
    struct Address
    {
        QUrl url; //!< where the room is served now
        QString fingerprint; //!< the certificate it moved with (empty: unknown, or plain ws://)
        QString journalServer; //!< the server the room's journal is filed under
        [[nodiscard]] bool moved() const { return journalServer != url.toString(); }
    };

    //! directory: the journals' folder; empty: nothing is kept.
    explicit MovedRooms(const QString &directory);

    /** Where room, joined at url, is served now: url itself unless a move of it was recorded (joined at its old
     *  address, or at the address it moved to). */
    [[nodiscard]] Address resolve(const QUrl &url, const QString &room) const;
    /** Record that room, whose journal is filed under journalServer, is served at url now. False (and *error)
     *  when the file cannot be written. */
    bool record(const QString &journalServer, const QString &room, const QUrl &url, const QString &fingerprint,
                QString *error = nullptr);

    [[nodiscard]] QString path() const { return m_path; }

private:
    QString m_path;
};

} // namespace inkroom::client
