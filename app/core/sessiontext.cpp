// Plain-words texts of the connection and the session, kept apart from their classes (no moc here).
#include "clientconnection.h"
#include "closecodes.h"
#include "session.h"

#include <QCoreApplication>

namespace inkroom::client {

namespace {
QString tr(const char *text)
{
    // The context lupdate gives texts outside a class: the namespace.
    return QCoreApplication::translate("inkroom::client", text);
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
    case CloseCode::InvalidData:
        text = tr("A message from this client was not valid text.");
        break;
    case CloseCode::Policy:
        text = tr("Too many messages too fast; the server slowed this client down.");
        break;
    case CloseCode::TooBig:
        text = tr("A message from this client was larger than the server allows.");
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
    case CloseCode::InternalError:
        text = tr("The server could not open the room (a problem with its storage).");
        break;
    case CloseCode::Busy:
        text = tr("The server is busy checking other passwords.");
        break;
    case CloseCode::BoardsFull:
        text = tr("The server has no room in its memory for this board just now.");
        break;
    case CloseCode::StoreLost:
        text = tr("The server lost its database for a moment; what it did not confirm is sent again.");
        break;
    case CloseCode::NotServing:
        text = tr("The room is on its way to another computer.");
        break;
    case CloseCode::BadHello:
    case CloseCode::UnsupportedVersion:
    case CloseCode::WrongPassword:
    case CloseCode::RoomFull:
    case CloseCode::Replaced:
    case CloseCode::BadToken:
    case CloseCode::TooManyAttempts:
    case CloseCode::BadSecret:
    case CloseCode::Removed:
    case CloseCode::Banned:
    case CloseCode::RoomClosed:
    case CloseCode::RoomMoved:
        text = failureText(failureForCloseCode(closeCode));
        break;
    default:
        text = serverReason.isEmpty() ? tr("The connection was lost.") : serverReason;
        break;
    }
    return text;
}

Connection::Failure failureForCloseCode(int closeCode)
{
    using proto::CloseCode;
    switch (CloseCode(closeCode)) {
    case CloseCode::BadHello:
        return Connection::Failure::HelloRejected;
    case CloseCode::UnsupportedVersion:
        return Connection::Failure::UnsupportedVersion;
    case CloseCode::WrongPassword:
        return Connection::Failure::WrongPassword;
    case CloseCode::RoomFull:
        return Connection::Failure::RoomFull;
    case CloseCode::Replaced:
        return Connection::Failure::Replaced;
    case CloseCode::BadToken:
        return Connection::Failure::BadToken;
    case CloseCode::TooManyAttempts:
        return Connection::Failure::TooManyAttempts;
    case CloseCode::BadSecret:
        return Connection::Failure::IdentityTaken;
    case CloseCode::Removed:
        return Connection::Failure::Removed;
    case CloseCode::Banned:
        return Connection::Failure::Banned;
    case CloseCode::RoomClosed:
    case CloseCode::RoomMoved: // a client that missed the moved message: the room is gone from here
        return Connection::Failure::RoomClosed;
    default:
        return Connection::Failure::None;
    }
}

Connection::Failure failureForErrorCode(proto::ErrorCode code)
{
    using proto::ErrorCode;
    switch (code) {
    case ErrorCode::UnsupportedVersion:
        return Connection::Failure::UnsupportedVersion;
    case ErrorCode::WrongPassword:
        return Connection::Failure::WrongPassword;
    case ErrorCode::RoomFull:
        return Connection::Failure::RoomFull;
    case ErrorCode::Replaced:
        return Connection::Failure::Replaced;
    case ErrorCode::BadToken:
        return Connection::Failure::BadToken;
    case ErrorCode::TooManyAttempts:
        return Connection::Failure::TooManyAttempts;
    case ErrorCode::BadSecret:
        return Connection::Failure::IdentityTaken;
    case ErrorCode::Removed:
        return Connection::Failure::Removed;
    case ErrorCode::Banned:
        return Connection::Failure::Banned;
    case ErrorCode::RoomClosed:
    case ErrorCode::RoomMoved:
        return Connection::Failure::RoomClosed;
    default:
        return Connection::Failure::None;
    }
}

QString failureText(Connection::Failure failure)
{
    switch (failure) {
    case Connection::Failure::None:
        return {};
    case Connection::Failure::InvalidSettings:
        return tr("The server address, room name or display name is not valid.");
    case Connection::Failure::WrongPassword:
        return tr("The room password is wrong. Enter the right password to join.");
    case Connection::Failure::UnsupportedVersion:
        return tr("This version of Inkroom cannot talk to the server (different protocol versions). Update Inkroom "
                  "on this computer or on the server.");
    case Connection::Failure::RoomFull:
        return tr("The room is full. Try again when somebody has left.");
    case Connection::Failure::Replaced:
        return tr("This identity joined the room from another window or computer, so this one was disconnected.");
    case Connection::Failure::BadToken:
        return tr("The server needs a valid join token. Ask whoever runs the server for the link with the token.");
    case Connection::Failure::TooManyAttempts:
        return tr("Too many wrong passwords from this computer. Wait a few minutes, then try again.");
    case Connection::Failure::HelloRejected:
        return tr("The server did not accept this client's request to join.");
    case Connection::Failure::ServerIdentityChanged:
        return tr("The server's certificate changed since the last connection: it may not be the same server. "
                  "Check with whoever runs it before connecting again.");
    case Connection::Failure::CertificateRejected:
        return tr("You did not trust the server's certificate, so Inkroom did not connect.");
    case Connection::Failure::IdentityTaken:
        return tr("The room knows this identity under another key: another copy of Inkroom owns it, or this "
                  "computer lost its records of the room. Nothing was sent; your unsent changes are kept.");
    case Connection::Failure::Removed:
        return tr("An owner of the room removed you from it. You can join again if they let you.");
    case Connection::Failure::Banned:
        return tr("An owner of the room banned you from it: you cannot join it again.");
    case Connection::Failure::RoomClosed:
        return tr("The host closed the room.");
    case Connection::Failure::Unreachable:
        return tr("Inkroom stopped trying to reach the server.");
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
    case Session::IdentityTaken:
        return QStringLiteral("identity_taken");
    case Session::Removed:
        return QStringLiteral("removed");
    case Session::Banned:
        return QStringLiteral("banned");
    case Session::RoomClosed:
        return QStringLiteral("room_closed");
    case Session::Unreachable:
        return QStringLiteral("unreachable");
    }
    return {};
}

} // namespace inkroom::client
