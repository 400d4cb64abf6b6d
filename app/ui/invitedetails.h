#pragma once

#include "session.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief What someone needs to invite a person into the room they are in: the link, the join code and the server's
 * full certificate fingerprint. For every member, not only the host: a member's link is the server and room their
 * own app joined (with its token); the host's is the link App shows (an address people on the network reach, which
 * its own loopback connection is not).
 *
 * copy() puts one of them on the clipboard and says which was copied last, for a few seconds ("Copied").
 */
class InviteDetails : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::client::Session *session READ session WRITE setSession NOTIFY sessionChanged)
    //! The host's link (App.link): used instead of the session's own address when set.
    Q_PROPERTY(QString hostLink READ hostLink WRITE setHostLink NOTIFY changed)
    Q_PROPERTY(QString link READ link NOTIFY changed)
    //! "K7F-Q2M", for a server with TLS (its identity is its fingerprint); "" otherwise.
    Q_PROPERTY(QString joinCode READ joinCode NOTIFY changed)
    //! The whole SHA-256 fingerprint of the server's certificate; "" without TLS.
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY changed)
    /** The fingerprint as shown: two lines of sixteen bytes, one above the other, which eyes compare more easily
     *  than a line wrapped wherever the window ends. */
    Q_PROPERTY(QString fingerprintLines READ fingerprintLines NOTIFY changed)
    //! Which was copied in the last few seconds: "link", "code", "fingerprint", or "".
    Q_PROPERTY(QString copied READ copied NOTIFY copiedChanged)

public:
    //! How long "Copied" shows.
    static constexpr int CopiedMs = 2500;

    explicit InviteDetails(QObject *parent = nullptr);

    [[nodiscard]] client::Session *session() const { return m_session; }
    void setSession(client::Session *session);
    [[nodiscard]] QString hostLink() const { return m_hostLink; }
    void setHostLink(const QString &link);
    [[nodiscard]] QString link() const;
    [[nodiscard]] QString joinCode() const;
    [[nodiscard]] QString fingerprint() const;
    [[nodiscard]] QString fingerprintLines() const;
    [[nodiscard]] QString copied() const { return m_copied; }

    //! Put "link", "code" or "fingerprint" on the clipboard. False when there is none.
    Q_INVOKABLE bool copy(const QString &what);

Q_SIGNALS:
    void sessionChanged();
    void changed();
    void copiedChanged();

private:
    QPointer<client::Session> m_session;
    QString m_hostLink;
    QString m_copied;
    QTimer m_copiedTimer;
};

} // namespace inkroom::ui
