#include "invitedetails.h"

#include "joincode.h"
#include "joinlink.h"
#include "session.h"

#include <QClipboard>
#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

InviteDetails::InviteDetails(QObject *parent)
    : QObject(parent)
{
    m_copiedTimer.setSingleShot(true);
    m_copiedTimer.setInterval(CopiedMs);
    connect(&m_copiedTimer, &QTimer::timeout, this, [this] {
        m_copied.clear();
        Q_EMIT copiedChanged();
    });
}

void InviteDetails::setSession(client::Session *session)
{
    if (m_session == session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (m_session) {
        connect(m_session, &client::Session::serverUrlChanged, this, &InviteDetails::changed);
        connect(m_session, &client::Session::roomChanged, this, &InviteDetails::changed);
        connect(m_session, &client::Session::securityChanged, this, &InviteDetails::changed);
        connect(m_session, &client::Session::tokenChanged, this, &InviteDetails::changed);
        connect(m_session, &client::Session::expectedFingerprintChanged, this, &InviteDetails::changed);
    }
    Q_EMIT sessionChanged();
    Q_EMIT changed();
}

void InviteDetails::setHostLink(const QString &link)
{
    if (m_hostLink == link)
        return;
    m_hostLink = link;
    Q_EMIT changed();
}

QString InviteDetails::link() const
{
    if (!m_hostLink.isEmpty())
        return m_hostLink;
    if (!m_session || m_session->serverUrl().isEmpty() || m_session->room().isEmpty())
        return {};
    JoinTarget target;
    target.servers = m_session->serverUrls(); // every address of the room, as it was joined
    target.room = m_session->room();
    target.token = m_session->token();
    return target.link();
}

QString InviteDetails::joinCode() const
{
    const QString print = fingerprint();
    return print.isEmpty() || !m_session ? QString() : client::joinCode(print, m_session->room());
}

QString InviteDetails::fingerprint() const
{
    if (!m_session)
        return {};
    // While offline: the certificate this session expects (a hosted room's own) is still the one to check.
    const QString live = m_session->serverFingerprint();
    return live.isEmpty() ? m_session->expectedFingerprint() : live;
}

QString InviteDetails::fingerprintLines() const
{
    const QString whole = fingerprint();
    // "AB:CD:...": sixteen bytes are 47 characters, and the colon after them becomes the line break.
    constexpr qsizetype Half = 16 * 3 - 1;
    if (whole.size() <= Half + 1 || whole.at(Half) != u':')
        return whole;
    return whole.left(Half) + u'\n' + whole.mid(Half + 1);
}

bool InviteDetails::copy(const QString &what)
{
    const QString text = what == "link"_L1 ? link()
        : what == "code"_L1                ? joinCode()
        : what == "fingerprint"_L1         ? fingerprint()
                                           : QString();
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (text.isEmpty() || !clipboard)
        return false;
    clipboard->setText(text);
    m_copied = what;
    m_copiedTimer.start();
    Q_EMIT copiedChanged();
    return true;
}

} // namespace inkroom::ui
