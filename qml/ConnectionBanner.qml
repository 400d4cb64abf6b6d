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
    signal backRequested()
    signal passwordEntered(string password)

    readonly property bool failed: session.state === Session.Failed
    readonly property bool online: session.state === Session.Online
    readonly property bool needsPassword: failed && session.failure === Session.WrongPassword

    implicitHeight: layout.implicitHeight + 12
    color: failed ? "#fdecea" : online ? (session.pendingCount > 0 ? "#fff8e1" : "#e8f5e9") : "#fff8e1"
    border.color: failed ? "#e57373" : online ? (session.pendingCount > 0 ? "#ffd54f" : "#a5d6a7") : "#ffd54f"
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
            color: banner.failed ? "#d32f2f" : banner.online ? "#2e7d32" : "#f9a825"
        }
        Label {
            id: statusLabel
            Layout.fillWidth: true
            color: "#202124"
            textFormat: Text.PlainText
            wrapMode: Text.WordWrap
            text: {
                if (banner.failed)
                    return banner.session.reason
                let line = banner.session.statusText
                if (banner.online && banner.session.roundTripMs >= 0)
                    line += qsTr(" · %1 ms").arg(banner.session.roundTripMs)
                return line
            }
        }
        TextField {
            id: passwordField
            visible: banner.needsPassword
            echoMode: TextInput.Password
            placeholderText: qsTr("Room password")
            Layout.preferredWidth: 180
            onAccepted: banner.passwordEntered(text)
            Accessible.name: qsTr("Room password")
        }
        Button {
            visible: banner.needsPassword
            text: qsTr("Join")
            highlighted: true
            onClicked: banner.passwordEntered(passwordField.text)
        }
        Button {
            visible: banner.session.state === Session.Reconnecting || (banner.failed && !banner.needsPassword)
            text: banner.failed ? qsTr("Try again") : qsTr("Retry now")
            onClicked: banner.session.retryNow()
        }
        Button {
            visible: banner.failed
            text: qsTr("Back to start")
            onClicked: banner.backRequested()
        }
    }
}
