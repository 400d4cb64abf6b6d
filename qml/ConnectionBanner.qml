pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// Always says where the connection stands, in plain words, with what the user can do about it.
Rectangle {
    id: banner
    objectName: "connectionBanner"

    required property Session session
    //! How the server's certificate was checked, when there is something to say ("matches the fingerprint …").
    property string trustNote: ""
    signal backRequested()
    signal passwordEntered(string password)
    //! "Details": the connection details (round trip, what waits, the journal, the server's certificate).
    signal detailsRequested()

    readonly property bool failed: session.state === Session.Failed
    readonly property bool online: session.state === Session.Online
    readonly property bool needsPassword: failed && session.failure === Session.WrongPassword
    readonly property bool awaitingTrust: session.state === Session.AwaitingTrust
    readonly property bool identityChanged: failed && session.failure === Session.ServerIdentityChanged
    //! The host closed the room for everyone: there is nothing to try again, only the way back.
    readonly property bool roomClosed: failed && session.failure === Session.RoomClosed

    implicitHeight: layout.implicitHeight + 12
    color: failed ? "#fdecea" : awaitingTrust ? "#e3f2fd" : online ? (session.pendingCount > 0 ? "#fff8e1" : "#e8f5e9") : "#fff8e1"
    border.color: failed ? "#e57373" : awaitingTrust ? "#64b5f6" : online ? (session.pendingCount > 0 ? "#ffd54f" : "#a5d6a7") : "#ffd54f"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: statusLabel.text

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 6
        anchors.leftMargin: 12
        spacing: 10

        Rectangle {
            implicitWidth: 10
            implicitHeight: 10
            radius: 5
            color: banner.failed ? "#d32f2f" : banner.awaitingTrust ? "#1976d2" : banner.online ? "#2e7d32" : "#f9a825"
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4
            Label {
                id: statusLabel
                Layout.fillWidth: true
                color: "#202124"
                textFormat: Text.PlainText
                wrapMode: Text.WordWrap
                text: {
                    if (banner.roomClosed)
                        return banner.session.statusText // who closed it, and what of ours was not delivered
                    if (banner.failed)
                        return banner.session.reason
                    if (banner.awaitingTrust)
                        return qsTr("First connection to %1. Trust it only if whoever runs the server sees this certificate fingerprint (SHA-256):").arg(banner.session.serverKey)
                    let line = banner.session.statusText
                    if (banner.online && banner.session.roundTripMs >= 0)
                        line += qsTr(" · %1 ms").arg(banner.session.roundTripMs)
                    if (banner.online && !banner.session.encrypted)
                        line += qsTr(" · not encrypted")
                    if (banner.online && banner.trustNote.length > 0)
                        line += " · " + banner.trustNote
                    return line
                }
            }
            // Selectable, so it can be compared character by character or copied.
            TextEdit {
                objectName: "pendingFingerprint"
                visible: banner.awaitingTrust
                Layout.fillWidth: true
                readOnly: true
                selectByMouse: true
                textFormat: TextEdit.PlainText
                wrapMode: TextEdit.WrapAnywhere
                font.family: "monospace"
                color: "#202124"
                text: banner.session.pendingFingerprint
                Accessible.name: qsTr("Certificate fingerprint")
            }
        }
        ActionButton {
            objectName: "trustButton"
            visible: banner.awaitingTrust
            text: qsTr("Trust and connect")
            highlighted: true
            onClicked: banner.session.trustCertificate()
        }
        ActionButton {
            objectName: "rejectButton"
            visible: banner.awaitingTrust
            text: qsTr("Don't connect")
            onClicked: banner.session.rejectCertificate()
        }
        ActionButton {
            objectName: "forgetCertificateButton"
            visible: banner.identityChanged
            text: qsTr("Forget the old certificate")
            onClicked: banner.session.forgetServerCertificate()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Only when whoever runs the server confirmed that its certificate changed: you will be asked to trust the new one")
        }
        TextField {
            id: passwordField
            visible: banner.needsPassword
            echoMode: TextInput.Password
            placeholderText: qsTr("Room password")
            Layout.preferredWidth: 180
            onAccepted: banner.passwordEntered(text)
            Accessible.name: qsTr("Room password")
            Accessible.description: qsTr("Password of the room, if it has one")
        }
        ActionButton {
            visible: banner.needsPassword
            text: qsTr("Join")
            highlighted: true
            onClicked: banner.passwordEntered(passwordField.text)
        }
        ActionButton {
            // Also after a certificate mismatch: once the genuine server is back, trying again connects (pins untouched).
            visible: banner.session.state === Session.Reconnecting
                     || (banner.failed && !banner.needsPassword && !banner.roomClosed)
            text: banner.failed ? qsTr("Try again") : qsTr("Retry now")
            onClicked: banner.session.retryNow()
        }
        ActionButton {
            visible: banner.failed
            text: qsTr("Back to start")
            onClicked: banner.backRequested()
        }
        ToolButton {
            objectName: "connectionDetailsButton"
            visible: !banner.awaitingTrust
            focusPolicy: Qt.NoFocus
            // As high as a line of the banner: it does not make the banner grow.
            topPadding: 0
            bottomPadding: 0
            Layout.maximumHeight: statusLabel.implicitHeight + 4
            text: qsTr("Details")
            palette.buttonText: "#202124" // the banner is light in dark themes too
            onClicked: banner.detailsRequested()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Round trip, what waits to be sent, and the server's certificate")
        }
    }
}
