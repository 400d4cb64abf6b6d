pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Ui

// Leaving (or quitting) while this computer serves a room: the people in it go on, or the room closes for them.
// App asks (App.leaveQuestion) and decides; this only shows the question and passes the answer on.
Dialog {
    id: dialog
    objectName: "leaveHostDialog"

    readonly property string room: App.page === App.Room && App.hosting ? App.roomName : App.backgroundRoom

    modal: true
    visible: App.leaveQuestion !== App.NoQuestion
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, (parent ? parent.width : 560) - 40)
    closePolicy: Popup.CloseOnEscape
    title: App.leaveQuestion === App.Quitting ? qsTr("Quit while hosting “%1”?").arg(dialog.room)
                                              : qsTr("Leave “%1”?").arg(dialog.room)
    onRejected: App.cancelLeave()

    ColumnLayout {
        anchors.fill: parent
        spacing: 14

        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            textFormat: Text.PlainText
            text: {
                const people = App.hostedPeople
                const who = people === 0 ? qsTr("Nobody else is in it right now.")
                          : qsTr("%n other person(s) in it right now.", "", people)
                return qsTr("This computer serves the room. %1").arg(who)
            }
        }

        ActionButton {
            objectName: "keepServingButton"
            Layout.fillWidth: true
            highlighted: true
            text: qsTr("Keep serving it in the background")
            onClicked: App.keepServing()
        }
        Label {
            Layout.fillWidth: true
            Layout.topMargin: -8
            wrapMode: Text.WordWrap
            font.pixelSize: 12
            opacity: 0.75
            text: App.trayAvailable
                  ? qsTr("Everyone can go on drawing and chatting, and newcomers can join. Inkroom stays in the system tray; stop hosting from there.")
                  : qsTr("Everyone can go on drawing and chatting, and newcomers can join. This window stays open and says it is still hosting; stop hosting from there.")
        }

        ActionButton {
            objectName: "closeForEveryoneButton"
            Layout.fillWidth: true
            text: qsTr("Close the room for everyone")
            onClicked: App.closeForEveryone()
        }
        Label {
            Layout.fillWidth: true
            Layout.topMargin: -8
            wrapMode: Text.WordWrap
            font.pixelSize: 12
            opacity: 0.75
            // A room this computer took over is kept apart from the rooms it hosts: hosting one of the same name
            // starts a new one.
            text: App.handover.serving
                ? qsTr("Everyone in it is told that you closed it.")
                : qsTr("Everyone in it is told that you closed it. The board and chat stay saved on this computer; hosting a room of the same name opens them again.")
        }

        // Or the room goes on without this computer: another member's app serves it from now on.
        Label {
            objectName: "handOverHeading"
            visible: App.session.people.canServeCount > 0
            Layout.fillWidth: true
            Layout.topMargin: 6
            wrapMode: Text.WordWrap
            font.bold: true
            text: qsTr("Hand it over to…")
        }
        Repeater {
            model: App.session.people
            delegate: ActionButton {
                id: handOverButton
                required property string clientId
                required property string name
                required property bool self
                required property bool online
                required property bool canServe
                objectName: "handOverButton"
                visible: canServe && online && !self
                Layout.fillWidth: true
                text: qsTr("%1's computer").arg(handOverButton.name)
                onClicked: App.handOverAndLeave(handOverButton.clientId)
            }
        }
        Label {
            visible: App.session.people.canServeCount > 0
            Layout.fillWidth: true
            Layout.topMargin: -8
            wrapMode: Text.WordWrap
            font.pixelSize: 12
            opacity: 0.75
            text: qsTr("Their Inkroom serves the room from then on: everyone follows it there by themselves, with the board, the chat and their roles. This computer can then close.")
        }

        ActionButton {
            objectName: "cancelLeaveButton"
            Layout.alignment: Qt.AlignRight
            flat: true
            text: qsTr("Cancel")
            onClicked: App.cancelLeave()
        }
    }
}
