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

    //! The canvas has the keys unless a text field, dialog or menu has them.
    function focusBoard() {
        canvas.forceActiveFocus()
    }

    //! Open the side panel on the chat (with the box to write in).
    function showChat() {
        sidePanel.visible = true
        tabs.currentIndex = 0
    }

    // ---- what the menus and the context menu ask for ----
    function copySelection() {
        const copied = clipboard.copy(canvas.selectedIds())
        if (copied > 0)
            noticePopup.show(qsTr("Copied %n item(s)", "", copied))
    }
    function cutSelection() {
        const ids = canvas.selectedIds()
        if (clipboard.cut(ids) > 0)
            canvas.clearSelection()
    }
    function paste(at: point, atPoint: bool) {
        const ids = clipboard.paste(atPoint ? at : page.viewCentre(), atPoint, canvas.colour, canvas.fontSize)
        if (ids.length > 0) {
            toolbar.tool = Whiteboard.Select
            canvas.selectIds(ids)
        }
    }
    function duplicateSelection() {
        const ids = clipboard.duplicate(canvas.selectedIds())
        if (ids.length > 0)
            canvas.selectIds(ids)
    }
    function restackSelection(toFront: bool) {
        page.session.restackItems(canvas.selectedIds(), toFront)
    }

    header: ColumnLayout {
        spacing: 0
        AppMenuBar {
            id: menuBar
            Layout.fillWidth: true
            session: page.session
            appearance: App.appearance
            canvas: canvas
            editingText: textEditor.visible
            gridVisible: page.gridVisible
            onInviteRequested: inviteDialog.open()
            onLeaveRequested: App.leave()
            onQuitRequested: App.quit()
            onCutRequested: page.cutSelection()
            onCopyRequested: page.copySelection()
            onPasteRequested: page.paste(Qt.point(0, 0), false)
            onDuplicateRequested: page.duplicateSelection()
            onDeleteRequested: canvas.deleteSelection()
            onSelectAllRequested: {
                toolbar.tool = Whiteboard.Select
                canvas.selectAll()
            }
            onRestackRequested: (toFront) => page.restackSelection(toFront)
            onAddImageRequested: imageDialog.open()
            onExportRequested: exportDialog.open()
            onCopyImageRequested: exportDialog.copyImage()
            onHistoryRequested: historyPanel.open()
            onClearRequested: clearDialog.open()
            onGridToggled: (visible) => page.gridVisible = visible
            onSyncHealthRequested: syncHealthPanel.open()
            onShortcutsRequested: shortcutSheet.open()
            onAboutRequested: aboutDialog.open()
        }
        ToolBar {
            Layout.fillWidth: true
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 8
                anchors.rightMargin: 8
                spacing: 8
                ToolButton {
                    objectName: "leaveButton"
                    text: qsTr("‹ Leave")
                    focusPolicy: Qt.NoFocus
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
                    objectName: "onlineLabel"
                    // Offline nobody else is known to be here: no count, rather than a stale one.
                    text: page.session.state === Session.Online ? qsTr("%n online", "", page.session.memberCount) : qsTr("offline")
                    opacity: 0.7
                }
                Item { Layout.fillWidth: true }
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
                    id: linkLabel
                    objectName: "hostLink"
                    visible: text.length > 0
                    text: App.link
                    textFormat: Text.PlainText
                    elide: Text.ElideMiddle
                    Layout.maximumWidth: 300
                    Layout.minimumWidth: 80
                    font.family: "monospace"
                }
                ActionButton {
                    objectName: "copyLinkButton"
                    visible: linkLabel.visible
                    focusPolicy: Qt.NoFocus
                    text: invite.copied === "link" ? qsTr("Copied") : qsTr("Copy link")
                    onClicked: invite.copy("link")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("People on this network join with this link")
                }
                ActionButton {
                    objectName: "inviteButton"
                    focusPolicy: Qt.NoFocus
                    text: qsTr("Invite…")
                    onClicked: inviteDialog.open()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("The link, the join code and the server's fingerprint, to pass on (Ctrl+I)")
                }
                ToolButton {
                    objectName: "chatToggle"
                    focusPolicy: Qt.NoFocus
                    text: sidePanel.visible ? qsTr("Hide chat")
                                            : (page.session.chat.unread > 0 ? qsTr("Chat (%1)").arg(page.session.chat.unread) : qsTr("Chat"))
                    checkable: true
                    checked: sidePanel.visible
                    // Opening it for what is unread shows the chat, not whichever tab was open last.
                    onToggled: {
                        if (checked)
                            page.showChat()
                        else
                            sidePanel.visible = false
                    }
                    Accessible.name: page.session.chat.unread > 0 ? qsTr("Chat, %n unread", "", page.session.chat.unread) : qsTr("Chat")
                }
            }
        }
    }

    property bool gridVisible: true

    BoardClipboard {
        id: clipboard
        session: page.session
        onNotice: (message) => noticePopup.show(message)
    }
    InviteDetails {
        id: invite
        session: page.session
        hostLink: App.link
    }
    SyncHealth {
        id: health
        session: page.session
    }
    ChatNotices {
        session: page.session
    }
    // The chat is read while it shows: nothing arriving then counts as unread.
    Binding {
        target: page.session.chat
        property: "reading"
        value: sidePanel.visible && tabs.currentIndex === 0
    }
    // What the session says to its user in passing (a rollback that undid fewer changes than asked, a summon refused).
    Connections {
        target: page.session
        function onProblem(message) { noticePopup.show(message) }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ConnectionBanner {
            Layout.fillWidth: true
            session: page.session
            trustNote: App.trustNote
            onBackRequested: App.leave()
            onPasswordEntered: (password) => {
                App.submitPassword(password)
                // The password field goes away: without this the next key would go nowhere.
                page.focusBoard()
            }
            onDetailsRequested: syncHealthPanel.open()
        }

        NoticeBar {
            Layout.fillWidth: true
            session: page.session
        }

        MovedBanner {
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
                    // Right click: the context menu (the canvas leaves the right button to it).
                    TapHandler {
                        acceptedButtons: Qt.RightButton
                        gesturePolicy: TapHandler.WithinBounds
                        onTapped: (eventPoint) => contextMenu.openAt(eventPoint.position.x, eventPoint.position.y)
                    }
                    // View only: selecting, looking and the laser pointer are all a viewer's pointer does.
                    tool: page.session.viewOnly && toolbar.tool !== Whiteboard.Laser ? Whiteboard.Select : toolbar.tool
                    gridColour: page.gridVisible ? "#22000000" : "transparent"
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
                    // Offline, where the others point is not known: their pointers are not shown frozen.
                    visible: page.session.state === Session.Online
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
                    maximumWidth: parent.width - 20
                    session: page.session
                    onClearRequested: clearDialog.open()
                }

                PropertiesPanel {
                    id: propertiesPanel
                    objectName: "propertiesPanel"
                    anchors.left: parent.left
                    anchors.top: toolbar.bottom
                    anchors.margins: 10
                    maximumHeight: parent.height - toolbar.height - 90
                    canvas: canvas
                    // A viewer may select, but not restyle.
                    visible: properties.active && !page.session.viewOnly
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

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 0
                    TabBar {
                        id: tabs
                        Layout.fillWidth: true
                        TabButton {
                            objectName: "chatTab"
                            focusPolicy: Qt.NoFocus
                            text: page.session.chat.unread > 0 ? qsTr("Chat (%1)").arg(page.session.chat.unread) : qsTr("Chat")
                        }
                        TabButton {
                            objectName: "peopleTab"
                            focusPolicy: Qt.NoFocus
                            // Offline nobody else is known to be here: no count, rather than everyone.
                            text: page.session.state === Session.Online ? qsTr("People (%1)").arg(page.session.memberCount) : qsTr("People")
                        }
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
        footer: DialogButtons {}
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

    BoardContextMenu {
        id: contextMenu
        session: page.session
        canvas: canvas
        clipboard: clipboard
        onCopyRequested: page.copySelection()
        onCutRequested: page.cutSelection()
        onPasteRequested: (at) => page.paste(at, true)
        onDuplicateRequested: page.duplicateSelection()
        onDeleteRequested: canvas.deleteSelection()
        onRestackRequested: (toFront) => page.restackSelection(toFront)
        onClosed: page.focusBoard()
    }

    InviteDialog {
        id: inviteDialog
        details: invite
        onClosed: page.focusBoard()
    }

    ShortcutSheet {
        id: shortcutSheet
        toolKeys: toolbar.toolKeys
        onClosed: page.focusBoard()
    }

    AboutDialog {
        id: aboutDialog
        onClosed: page.focusBoard()
    }

    SyncHealthPanel {
        id: syncHealthPanel
        health: health
        x: page.width - width - 12
        y: 8
        onClosed: page.focusBoard()
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

    // Keys the menu bar's actions do not have (each of them a second key for one of its actions).
    Shortcut { sequence: "Ctrl+Y"; enabled: !textEditor.visible; onActivated: page.session.redo() }
    Shortcut { sequence: "Ctrl+="; onActivated: canvas.zoomIn() }
    Shortcut { sequence: "?"; onActivated: shortcutSheet.open() }
    Shortcut {
        sequence: "Escape"
        enabled: page.session.following.active && !textEditor.visible
        onActivated: page.session.following.stop()
    }
}
