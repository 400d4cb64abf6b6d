pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// Who is in the room: colour, name, role, online or away, typing; an owner's controls for the room and per person.
ColumnLayout {
    id: panel

    required property Session session
    //! "Message privately" was chosen for a person.
    signal directRequested(string clientId, string name)

    spacing: 0

    // The room's controls, for owners.
    ColumnLayout {
        objectName: "ownerControls"
        visible: panel.session.isOwner
        Layout.fillWidth: true
        Layout.margins: 8
        spacing: 0
        Switch {
            objectName: "guestsReadOnlySwitch"
            text: qsTr("Read-only for guests")
            checked: panel.session.guestsReadOnly
            onToggled: {
                panel.session.setGuestsReadOnly(checked)
                checked = Qt.binding(() => panel.session.guestsReadOnly)
            }
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Newcomers and everybody without a role of their own can only look, chat and point")
        }
        Switch {
            objectName: "lockSwitch"
            text: qsTr("Lock the board")
            checked: panel.session.locked
            onToggled: {
                panel.session.setLocked(checked)
                checked = Qt.binding(() => panel.session.locked)
            }
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Only owners can change the board until it is unlocked")
        }
        ActionButton {
            objectName: "summonButton"
            Layout.fillWidth: true
            text: panel.session.summoning ? qsTr("Let everyone go") : qsTr("Bring everyone to me")
            onClicked: panel.session.summonEveryone(!panel.session.summoning)
            ToolTip.visible: hovered
            ToolTip.text: panel.session.summoning ? qsTr("Everyone stops following you")
                                                  : qsTr("Everyone follows your view (each of them can stop)")
        }
    }

    ListView {
        id: list
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: panel.session.people
        ScrollBar.vertical: ScrollBar {}
        Accessible.role: Accessible.List
        Accessible.name: qsTr("People in the room")

        delegate: ItemDelegate {
            id: person
            required property string clientId
            required property string name
            required property color colour
            required property bool self
            required property string status
            required property bool typing
            required property string role
            required property bool canServe

            width: ListView.view.width
            Accessible.role: Accessible.ListItem
            Accessible.name: (person.self ? qsTr("%1 (you)").arg(person.name) : person.name)
                             + (person.role === "owner" ? ", " + qsTr("Owner") : person.role === "viewer" ? ", " + qsTr("Viewer") : "")
            Accessible.description: person.typing ? qsTr("typing…") : person.status === "online" ? qsTr("online")
                                    : person.status === "away" ? qsTr("away") : qsTr("offline")
            contentItem: RowLayout {
                spacing: 10
                Rectangle {
                    implicitWidth: 12
                    implicitHeight: 12
                    radius: 6
                    color: person.colour
                    opacity: person.status === "online" ? 1 : 0.4
                    border.width: person.status === "unknown" ? 1 : 0
                    border.color: palette.mid
                }
                Label {
                    Layout.fillWidth: true
                    text: person.self ? qsTr("%1 (you)").arg(person.name) : person.name
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    opacity: person.status === "online" ? 1 : 0.6
                }
                Label {
                    objectName: "roleLabel"
                    visible: person.role !== "editor"
                    text: person.role === "owner" ? qsTr("Owner") : qsTr("Viewer")
                    font.pixelSize: 11
                    padding: 2
                    leftPadding: 6
                    rightPadding: 6
                    background: Rectangle {
                        radius: 8
                        color: person.role === "owner" ? "#e3f2fd" : "#eeeeee"
                    }
                }
                Label {
                    text: person.status === "unknown" ? qsTr("not known offline")
                          : person.typing ? qsTr("typing…") : person.status === "online" ? qsTr("online")
                          : person.status === "away" ? qsTr("away") : qsTr("offline")
                    font.pixelSize: 11
                    opacity: 0.6
                }
                ToolButton {
                    objectName: "personMenuButton"
                    focusPolicy: Qt.NoFocus
                    visible: !person.self
                    text: "⋯"
                    onClicked: menu.popup()
                    Accessible.name: qsTr("Actions for %1").arg(person.name)
                }
            }

            Menu {
                id: menu
                MenuItem {
                    objectName: "followMenuItem"
                    enabled: person.status === "online"
                    text: panel.session.following.active && panel.session.following.presenterId === person.clientId
                          ? qsTr("Stop following %1").arg(person.name) : qsTr("Follow %1").arg(person.name)
                    onTriggered: {
                        if (panel.session.following.active && panel.session.following.presenterId === person.clientId)
                            panel.session.following.stop()
                        else
                            panel.session.followMember(person.clientId)
                    }
                }
                MenuItem {
                    text: qsTr("Message privately")
                    onTriggered: panel.directRequested(person.clientId, person.name)
                }
                MenuSeparator { visible: panel.session.isOwner }
                MenuItem {
                    objectName: "handOverMenuItem"
                    visible: panel.session.isOwner && person.canServe && person.status === "online"
                    height: visible ? implicitHeight : 0
                    text: qsTr("Hand the room over to %1").arg(person.name)
                    onTriggered: panel.session.handOver(person.clientId)
                }
                MenuItem {
                    visible: panel.session.isOwner && person.role !== "owner"
                    height: visible ? implicitHeight : 0
                    text: qsTr("Make owner")
                    onTriggered: panel.session.setMemberRole(person.clientId, "owner")
                }
                MenuItem {
                    visible: panel.session.isOwner
                    height: visible ? implicitHeight : 0
                    text: qsTr("Make editor")
                    onTriggered: panel.session.setMemberRole(person.clientId, "editor")
                }
                MenuItem {
                    visible: panel.session.isOwner
                    height: visible ? implicitHeight : 0
                    text: qsTr("Make viewer")
                    onTriggered: panel.session.setMemberRole(person.clientId, "viewer")
                }
                MenuItem {
                    visible: panel.session.isOwner
                    height: visible ? implicitHeight : 0
                    text: qsTr("Undo their last 10 changes")
                    onTriggered: panel.session.rollbackMember(person.clientId, 10)
                }
                MenuItem {
                    visible: panel.session.isOwner
                    height: visible ? implicitHeight : 0
                    text: qsTr("Remove from the room")
                    onTriggered: panel.session.removeMember(person.clientId, false)
                }
                MenuItem {
                    visible: panel.session.isOwner
                    height: visible ? implicitHeight : 0
                    text: qsTr("Ban from the room")
                    onTriggered: panel.session.removeMember(person.clientId, true)
                }
            }
        }
    }
}
