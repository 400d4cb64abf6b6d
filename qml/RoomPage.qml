pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// One room: the board, its tools, the chat and the people, and the connection banner.
Page {
    id: page
    objectName: "roomPage"

    required property string server
    required property string room
    required property string password
    required property bool hosting
    //! The certificate fingerprint the server must have (the room this app hosts); empty: trust on first use.
    property string expectedFingerprint: ""
    //! The server's join token, from the link.
    property string token: ""
    readonly property string roomTitle: room
    readonly property alias session: session
    readonly property alias canvas: canvas

    signal leaveRequested()

    Session {
        id: session
        stateDirectory: App.stateDirectory
        knownServersFile: App.knownServersFile
        expectedFingerprint: page.expectedFingerprint
        token: page.token
    }

    Component.onCompleted: {
        session.join(page.server, page.room, App.displayName, App.colour, page.password)
        canvas.forceActiveFocus()
    }
    Component.onDestruction: session.leave()

    function leave() {
        session.leave()
        page.leaveRequested()
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 8
            ToolButton {
                text: qsTr("‹ Leave")
                onClicked: page.leave()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Leave the room (unsent changes are kept and sent next time)")
            }
            Label {
                text: page.room
                textFormat: Text.PlainText
                font.weight: Font.DemiBold
                elide: Text.ElideRight
                Layout.maximumWidth: 260
            }
            Label {
                text: session.state === Session.Online ? qsTr("%1 online").arg(session.memberCount) : qsTr("offline")
                opacity: 0.7
            }
            Item { Layout.fillWidth: true }
            Label {
                id: linkLabel
                visible: page.hosting && text.length > 0
                text: page.hosting ? App.hostedLink(page.room) : ""
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                Layout.maximumWidth: 360
                font.family: "monospace"
            }
            Label {
                id: fingerprintLabel
                objectName: "hostFingerprint"
                visible: linkLabel.visible && App.host.fingerprint.length > 0
                text: qsTr("Fingerprint %1").arg(App.host.fingerprint)
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                Layout.maximumWidth: 220
                font.family: "monospace"
                opacity: 0.75
                HoverHandler { id: fingerprintHover }
                ToolTip.visible: fingerprintHover.hovered
                ToolTip.text: qsTr("People joining for the first time are asked to trust this server. They should see this SHA-256 fingerprint:\n%1").arg(App.host.fingerprint)
                Accessible.name: qsTr("Server certificate fingerprint %1").arg(App.host.fingerprint)
            }
            Button {
                visible: linkLabel.visible
                text: qsTr("Copy link")
                onClicked: App.copyToClipboard(linkLabel.text)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("People on this network join with this link")
            }
            ToolButton {
                text: sidePanel.visible ? qsTr("Hide chat") : (unread.count > 0 ? qsTr("Chat (%1)").arg(unread.count) : qsTr("Chat"))
                checkable: true
                checked: sidePanel.visible
                onToggled: sidePanel.visible = checked
                Accessible.name: unread.count > 0 ? qsTr("Chat, %n unread", "", unread.count) : qsTr("Chat")
            }
        }
    }

    // Messages that arrive while the chat panel is closed.
    QtObject {
        id: unread
        property int count: 0
        property int seen: session.chat.count
    }
    Connections {
        target: session.chat
        function onCountChanged() {
            if (sidePanel.visible)
                unread.count = 0
            else if (session.chat.count > unread.seen)
                unread.count += session.chat.count - unread.seen
            unread.seen = session.chat.count
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ConnectionBanner {
            Layout.fillWidth: true
            session: session
            onBackRequested: page.leave()
            onPasswordEntered: (password) => session.join(page.server, page.room, App.displayName, App.colour, password)
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            Item {
                id: boardArea
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true

                // The whiteboard stays white in light and dark themes alike.
                Rectangle {
                    anchors.fill: parent
                    color: "#fbfbf8"
                }

                Whiteboard {
                    id: canvas
                    objectName: "canvas"
                    anchors.fill: parent
                    session: session
                    colour: toolbar.colour
                    strokeWidth: toolbar.strokeWidth
                    tool: toolbar.tool
                    gridColour: "#22000000"
                    onTextRequested: (position) => textEditor.open("", "", position)
                    onTextEditRequested: (id, text) => textEditor.openExisting(id, text)
                    onNotice: (message) => noticePopup.show(message)
                }

                TextLayer {
                    anchors.fill: parent
                    canvas: canvas
                    editingId: textEditor.itemId
                }

                CursorLayer {
                    anchors.fill: parent
                    canvas: canvas
                    people: session.people
                }

                TextEditor {
                    id: textEditor
                    canvas: canvas
                }

                BoardToolbar {
                    id: toolbar
                    objectName: "boardToolbar"
                    anchors.top: parent.top
                    anchors.horizontalCenter: parent.horizontalCenter
                    anchors.topMargin: 10
                    session: session
                    onClearRequested: clearDialog.open()
                }

                ZoomControls {
                    anchors.left: parent.left
                    anchors.bottom: parent.bottom
                    anchors.margins: 10
                    canvas: canvas
                }

                Label {
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    anchors.margins: 12
                    visible: session.pendingCount > 0
                    text: session.pendingCount === 1 ? qsTr("1 change not yet saved by the server")
                                                     : qsTr("%1 changes not yet saved by the server").arg(session.pendingCount)
                    font.pixelSize: 11
                    color: "#5f6368"
                }
            }

            Pane {
                id: sidePanel
                Layout.preferredWidth: 320
                Layout.fillHeight: true
                padding: 0
                onVisibleChanged: if (visible) unread.count = 0

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 0
                    TabBar {
                        id: tabs
                        Layout.fillWidth: true
                        TabButton { text: qsTr("Chat") }
                        TabButton { text: qsTr("People (%1)").arg(session.memberCount) }
                    }
                    StackLayout {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        currentIndex: tabs.currentIndex
                        ChatPanel { session: session }
                        PeoplePanel { session: session }
                    }
                }
            }
        }
    }

    Dialog {
        id: clearDialog
        anchors.centerIn: parent
        modal: true
        title: qsTr("Clear the board?")
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            text: qsTr("This removes everything on the board, for everyone in the room. You can undo it.")
            wrapMode: Text.WordWrap
            width: 320
        }
        onAccepted: canvas.clearBoard()
    }

    ToolTip {
        id: noticePopup
        function show(message: string) {
            text = message
            open()
        }
        timeout: 3000
        x: (page.width - width) / 2
        y: page.height - height - 40
    }

    // Keyboard: tools, undo and redo, zoom.
    Shortcut { sequences: [StandardKey.Undo]; onActivated: session.undo() }
    Shortcut { sequences: [StandardKey.Redo, "Ctrl+Y"]; onActivated: session.redo() }
    Shortcut { sequence: "Ctrl+A"; enabled: !textEditor.visible; onActivated: { toolbar.tool = Whiteboard.Select; canvas.selectAll() } }
    Shortcut { sequences: [StandardKey.ZoomIn, "Ctrl+="]; onActivated: canvas.zoomIn() }
    Shortcut { sequences: [StandardKey.ZoomOut]; onActivated: canvas.zoomOut() }
    Shortcut { sequence: "Ctrl+0"; onActivated: canvas.resetView() }
    Shortcut { sequence: "Shift+1"; onActivated: canvas.zoomToFit() }
}
