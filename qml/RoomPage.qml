pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// One room: the board, its tools, the chat and the people, and the connection banner.
Page {
    id: page
    objectName: "roomPage"
    Accessible.name: qsTr("Room %1").arg(App.roomName)

    //! The room App is in. The page only shows it: joining, leaving and passwords go through App's verbs.
    readonly property Session session: App.session
    readonly property string roomTitle: App.roomName
    readonly property alias canvas: canvas

    Component.onCompleted: canvas.forceActiveFocus()

    //! Where a picture from the clipboard or the file dialog goes: the middle of what the board shows.
    function viewCentre(): point {
        return canvas.mapToBoard(Qt.point(canvas.width / 2, canvas.height / 2))
    }

    //! Open the side panel on the people list (their roles and, for owners, the room's controls).
    function showPeople() {
        sidePanel.visible = true
        tabs.currentIndex = 1
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 8
            ToolButton {
                objectName: "leaveButton"
                text: qsTr("‹ Leave")
                onClicked: App.leave()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Leave the room (unsent changes are kept and sent next time)")
            }
            Label {
                text: App.roomName
                textFormat: Text.PlainText
                font.weight: Font.DemiBold
                elide: Text.ElideRight
                Layout.maximumWidth: 260
            }
            Label {
                text: page.session.state === Session.Online ? qsTr("%1 online").arg(page.session.memberCount) : qsTr("offline")
                opacity: 0.7
            }
            Item { Layout.fillWidth: true }
            Label {
                id: linkLabel
                objectName: "hostLink"
                visible: text.length > 0
                text: App.link
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                Layout.maximumWidth: 360
                font.family: "monospace"
            }
            Label {
                objectName: "hostJoinCode"
                visible: linkLabel.visible && App.joinCode.length > 0
                text: qsTr("Code %1").arg(App.joinCode)
                textFormat: Text.PlainText
                font.family: "monospace"
                font.weight: Font.DemiBold
                HoverHandler { id: codeHover }
                ToolTip.visible: codeHover.hovered
                ToolTip.text: qsTr("Read this code aloud: people on this network type it on their start page instead of the link")
                Accessible.name: qsTr("Join code %1").arg(App.joinCode)
            }
            Label {
                id: fingerprintLabel
                objectName: "hostFingerprint"
                visible: linkLabel.visible && App.roomHost.fingerprint.length > 0
                text: qsTr("Fingerprint %1").arg(App.roomHost.fingerprint)
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                Layout.maximumWidth: 220
                font.family: "monospace"
                opacity: 0.75
                HoverHandler { id: fingerprintHover }
                ToolTip.visible: fingerprintHover.hovered
                ToolTip.text: qsTr("People joining for the first time are asked to trust this server. They should see this SHA-256 fingerprint:\n%1").arg(App.roomHost.fingerprint)
                Accessible.name: qsTr("Server certificate fingerprint %1").arg(App.roomHost.fingerprint)
            }
            Button {
                visible: linkLabel.visible
                text: qsTr("Copy link")
                onClicked: App.copyToClipboard(linkLabel.text)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("People on this network join with this link")
            }
            ToolButton {
                objectName: "boardMenuButton"
                text: qsTr("Board")
                onClicked: boardMenu.open()
                Menu {
                    id: boardMenu
                    y: parent.height
                    MenuItem {
                        objectName: "addImageItem"
                        text: qsTr("Add image…  (Ctrl+Shift+I)")
                        enabled: !page.session.viewOnly
                        onTriggered: imageDialog.open()
                    }
                    MenuItem {
                        text: qsTr("Paste image  (Ctrl+V)")
                        enabled: !page.session.viewOnly
                        onTriggered: page.session.pasteImage(page.viewCentre())
                    }
                    MenuItem { text: qsTr("Export…  (Ctrl+Shift+E)"); onTriggered: exportDialog.open() }
                    MenuItem { text: qsTr("Copy as image  (Ctrl+Shift+C)"); onTriggered: exportDialog.copyImage() }
                    MenuItem { text: qsTr("History…  (Ctrl+Shift+H)"); onTriggered: historyPanel.open() }
                }
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
        property int seen: page.session.chat.count
    }
    // What the session says to its user in passing (a rollback that undid fewer changes than asked, a summon refused).
    Connections {
        target: page.session
        function onProblem(message) { noticePopup.show(message) }
    }
    Connections {
        target: page.session.chat
        function onCountChanged() {
            if (sidePanel.visible)
                unread.count = 0
            else if (page.session.chat.count > unread.seen)
                unread.count += page.session.chat.count - unread.seen
            unread.seen = page.session.chat.count
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ConnectionBanner {
            Layout.fillWidth: true
            session: page.session
            trustNote: App.trustNote
            onBackRequested: App.leave()
            onPasswordEntered: (password) => App.submitPassword(password)
        }

        NoticeBar {
            Layout.fillWidth: true
            session: page.session
        }

        // The room's controls as they concern everybody: view only, or a locked board (owners still draw).
        Rectangle {
            objectName: "controlsBanner"
            Layout.fillWidth: true
            visible: page.session.state === Session.Online && (page.session.viewOnly || page.session.locked)
            implicitHeight: controlsText.implicitHeight + 12
            color: "#fff4e5"
            Label {
                id: controlsText
                anchors.fill: parent
                anchors.leftMargin: 12
                anchors.rightMargin: 12
                verticalAlignment: Text.AlignVCenter
                color: "#5d4037"
                wrapMode: Text.WordWrap
                text: page.session.viewOnly ? page.session.viewOnlyReason
                                            : qsTr("The board is locked: only owners can change it. Unlock it in People.")
            }
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

                // Picture files dropped on the board land where they are dropped.
                DropArea {
                    objectName: "imageDropArea"
                    anchors.fill: parent
                    z: 1
                    enabled: !page.session.viewOnly
                    onDropped: (drop) => {
                        if (!drop.hasUrls)
                            return
                        const at = canvas.mapToBoard(Qt.point(drop.x, drop.y))
                        for (let i = 0; i < drop.urls.length; ++i)
                            page.session.addImageFile(drop.urls[i], Qt.point(at.x + 40 * i, at.y + 40 * i))
                        drop.accept(Qt.CopyAction)
                    }
                }

                Whiteboard {
                    id: canvas
                    objectName: "canvas"
                    anchors.fill: parent
                    session: page.session
                    colour: toolbar.colour
                    strokeWidth: toolbar.strokeWidth
                    // View only: selecting, looking and the laser pointer are all a viewer's pointer does.
                    tool: page.session.viewOnly && toolbar.tool !== Whiteboard.Laser ? Whiteboard.Select : toolbar.tool
                    gridColour: "#22000000"
                    onTextRequested: (position) => textEditor.open("", "", position)
                    onTextEditRequested: (id, text, position) => textEditor.open(id, text, position)
                    onNotice: (message) => noticePopup.show(message)
                    Accessible.role: Accessible.Canvas
                    Accessible.name: qsTr("Board of %1").arg(App.roomName)
                    Accessible.description: qsTr("The shared whiteboard. Delete removes the selected items, Escape lets go of them.")
                }

                LaserLayer {
                    objectName: "laserLayer"
                    anchors.fill: parent
                    canvas: canvas
                    trails: page.session.laser
                    visible: page.session.laser.visible
                }

                CursorLayer {
                    anchors.fill: parent
                    canvas: canvas
                    people: page.session.people
                    onFollowRequested: (clientId) => page.session.followMember(clientId)
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
                    session: page.session
                    onClearRequested: clearDialog.open()
                }

                FollowBanner {
                    objectName: "followBanner"
                    anchors.horizontalCenter: parent.horizontalCenter
                    anchors.top: toolbar.bottom
                    anchors.topMargin: 8
                    following: page.session.following
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
                    visible: page.session.pendingCount > 0
                    text: qsTr("%n change(s) not yet saved by the server", "", page.session.pendingCount)
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
                        TabButton { text: qsTr("People (%1)").arg(page.session.memberCount) }
                    }
                    StackLayout {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        currentIndex: tabs.currentIndex
                        ChatPanel {
                            id: chatPanel
                            session: page.session
                        }
                        PeoplePanel {
                            session: page.session
                            onDirectRequested: (clientId, name) => {
                                chatPanel.startDirect(clientId, name)
                                tabs.currentIndex = 0
                            }
                        }
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

    ReplayModel {
        id: replay
        session: page.session
    }

    HistoryPanel {
        id: historyPanel
        replay: replay
        parent: boardArea
        width: boardArea.width
        height: boardArea.height
        onExportRequested: exportDialog.openMoment(replay)
    }

    FileDialog {
        id: imageDialog
        title: qsTr("Add an image to the board")
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.webp)"), qsTr("All files (*)")]
        onAccepted: page.session.addImageFile(selectedFile, page.viewCentre())
    }

    ExportDialog {
        id: exportDialog
        canvas: canvas
        roomName: page.roomTitle
        onNotice: (message) => noticePopup.show(message)
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
    Shortcut { sequences: [StandardKey.Undo]; onActivated: page.session.undo() }
    Shortcut { sequences: [StandardKey.Redo, "Ctrl+Y"]; onActivated: page.session.redo() }
    Shortcut { sequence: "Ctrl+A"; enabled: !textEditor.visible; onActivated: { toolbar.tool = Whiteboard.Select; canvas.selectAll() } }
    Shortcut { sequences: [StandardKey.ZoomIn, "Ctrl+="]; onActivated: canvas.zoomIn() }
    Shortcut { sequences: [StandardKey.ZoomOut]; onActivated: canvas.zoomOut() }
    Shortcut { sequence: "Ctrl+0"; onActivated: canvas.resetView() }
    Shortcut {
        sequence: "Escape"
        enabled: page.session.following.active && !textEditor.visible
        onActivated: page.session.following.stop()
    }
    Shortcut { sequence: "Shift+1"; onActivated: canvas.zoomToFit() }
    Shortcut { sequence: "Ctrl+Shift+E"; onActivated: exportDialog.open() }
    Shortcut { sequence: "Ctrl+Shift+H"; onActivated: historyPanel.open() }
    Shortcut { sequence: "Ctrl+Shift+C"; enabled: !textEditor.visible; onActivated: exportDialog.copyImage() }
    Shortcut { sequence: "Ctrl+Shift+I"; enabled: !page.session.viewOnly; onActivated: imageDialog.open() }
    // Text fields take their own Ctrl+V first; on the board it pastes a picture (a copied picture or image file).
    Shortcut {
        sequences: [StandardKey.Paste]
        enabled: !textEditor.visible && !page.session.viewOnly
        onActivated: {
            if (page.session.clipboardHasImage())
                page.session.pasteImage(page.viewCentre())
            else
                noticePopup.show(qsTr("There is no picture on the clipboard to paste."))
        }
    }
}
