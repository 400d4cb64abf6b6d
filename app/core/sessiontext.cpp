// Plain-words texts of the session, kept apart from session.cpp (no moc here).
#include "closecodes.h"
#include "session.h"

#include <QCoreApplication>

namespace inkroom::client {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Session", text);
}
} // namespace

QString closeReasonText(int closeCode, const QString &serverReason)
{
    using proto::CloseCode;
    QString text;
    switch (CloseCode(closeCode)) {
    case CloseCode::Normal:
        text = tr("The server ended the connection.");
        break;
    case CloseCode::GoingAway:
        text = tr("The server is shutting down or restarting.");
        break;
    case CloseCode::ProtocolError:
        text = tr("The connection was garbled.");
        break;
    case CloseCode::Policy:
        text = tr("Too many messages too fast; the server slowed this client down.");
        break;
    case CloseCode::TooBig:
        text = tr("A message was larger than the server allows.");
        break;
    case CloseCode::ServerFull:
        text = tr("The server is full.");
        break;
    case CloseCode::HandshakeTimeout:
        text = tr("The server waited too long for this client to join.");
        break;
    case CloseCode::SlowConsumer:
        text = tr("This client fell too far behind the room.");
        break;
    case CloseCode::HeartbeatTimeout:
        text = tr("The server heard nothing from this client for too long.");
        break;
    case CloseCode::BadHello:
    case CloseCode::UnsupportedVersion:
    case CloseCode::WrongPassword:
    case CloseCode::RoomFull:
    case CloseCode::Replaced:
    case CloseCode::BadToken:
    case CloseCode::TooManyAttempts:
        text = failureText(failureForCloseCode(closeCode));
        break;
    default:
        text = serverReason.isEmpty() ? tr("The connection was lost.") : serverReason;
        break;
    }
    return text;
}

Session::Failure failureForCloseCode(int closeCode)
{
    using proto::CloseCode;
    switch (CloseCode(closeCode)) {
    case CloseCode::BadHello:
        return Session::HelloRejected;
    case CloseCode::UnsupportedVersion:
        return Session::UnsupportedVersion;
    case CloseCode::WrongPassword:
        return Session::WrongPassword;
    case CloseCode::RoomFull:
        return Session::RoomFull;
    case CloseCode::Replaced:
        return Session::Replaced;
    case CloseCode::BadToken:
        return Session::BadToken;
    case CloseCode::TooManyAttempts:
        return Session::TooManyAttempts;
    default:
        return Session::NoFailure;
    }
}

Session::Failure failureForErrorCode(proto::ErrorCode code)
{
    using proto::ErrorCode;
    switch (code) {
    case ErrorCode::UnsupportedVersion:
        return Session::UnsupportedVersion;
    case ErrorCode::WrongPassword:
        return Session::WrongPassword;
    case ErrorCode::RoomFull:
        return Session::RoomFull;
    case ErrorCode::Replaced:
        return Session::Replaced;
    case ErrorCode::BadToken:
        return Session::BadToken;
    case ErrorCode::TooManyAttempts:
        return Session::TooManyAttempts;
    default:
        return Session::NoFailure;
    }
}

QString failureText(Session::Failure failure)
{
    switch (failure) {
    case Session::NoFailure:
        return {};
    case Session::InvalidSettings:
        return tr("The server address, room name or display name is not valid.");
    case Session::WrongPassword:
        return tr("The room password is wrong. Enter the right password to join.");
    case Session::UnsupportedVersion:
        return tr("This version of Inkroom cannot talk to the server (different protocol versions). Update Inkroom "
                  "on this computer or on the server.");
    case Session::RoomFull:
        return tr("The room is full. Try again when somebody has left.");
    case Session::Replaced:
        return tr("This identity joined the room from another window or computer, so this one was disconnected.");
    case Session::BadToken:
        return tr("The server needs a valid join token. Ask whoever runs the server for the link with the token.");
    case Session::TooManyAttempts:
        return tr("Too many wrong passwords from this computer. Wait a few minutes, then try again.");
    case Session::HelloRejected:
        return tr("The server did not accept this client's request to join.");
    case Session::ServerIdentityChanged:
        return tr("The server's certificate changed since the last connection: it may not be the same server. "
                  "Check with whoever runs it before connecting again.");
    case Session::CertificateRejected:
        return tr("You did not trust the server's certificate, so Inkroom did not connect.");
    }
    return {};
}

QString stateName(Session::State state)
{
    switch (state) {
    case Session::Disconnected:
        return QStringLiteral("disconnected");
    case Session::Connecting:
        return QStringLiteral("connecting");
    case Session::Joining:
        return QStringLiteral("joining");
    case Session::Online:
        return QStringLiteral("online");
    case Session::Reconnecting:
        return QStringLiteral("reconnecting");
    case Session::AwaitingTrust:
        return QStringLiteral("awaiting_trust");
    case Session::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString failureName(Session::Failure failure)
{
    switch (failure) {
    case Session::NoFailure:
        return {};
    case Session::InvalidSettings:
        return QStringLiteral("invalid_settings");
    case Session::WrongPassword:
        return QStringLiteral("wrong_password");
    case Session::UnsupportedVersion:
        return QStringLiteral("unsupported_version");
    case Session::RoomFull:
        return QStringLiteral("room_full");
    case Session::Replaced:
        return QStringLiteral("replaced");
    case Session::BadToken:
        return QStringLiteral("bad_token");
    case Session::TooManyAttempts:
        return QStringLiteral("too_many_attempts");
    case Session::HelloRejected:
        return QStringLiteral("hello_rejected");
    case Session::ServerIdentityChanged:
        return QStringLiteral("server_identity_changed");
    case Session::CertificateRejected:
        return QStringLiteral("certificate_rejected");
    }
    return {};
}

} // namespace inkroom::client
