<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ActionDialog</name>
    <message>
        <source>诉讼</source>
        <translation>Litigation</translation>
    </message>
    <message>
        <source>仲裁</source>
        <translation>Arbitration</translation>
    </message>
    <message>
        <source>行政复议</source>
        <translation>Administrative review</translation>
    </message>
    <message>
        <source>信访</source>
        <translation>Petitions (xinfang)</translation>
    </message>
    <message>
        <source>12345热线</source>
        <translation>12345 hotline</translation>
    </message>
    <message>
        <source>受理意见</source>
        <translation>Acceptance note</translation>
    </message>
    <message>
        <source>调解结果</source>
        <translation>Mediation result</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>协办单位（可多选）</source>
        <translation>Co-handling units (several allowed)</translation>
    </message>
    <message>
        <source>办结期限（可选）</source>
        <translation>Resolve by (optional)</translation>
    </message>
    <message>
        <source>交办意见</source>
        <translation>Assignment note</translation>
    </message>
    <message>
        <source>协办单位</source>
        <translation>Co-handling unit</translation>
    </message>
    <message>
        <source>协办意见</source>
        <translation>Co-handling opinion</translation>
    </message>
    <message>
        <source>延期工作日数</source>
        <translation>Extension (working days)</translation>
    </message>
    <message>
        <source>同意延期</source>
        <translation>Approve extension</translation>
    </message>
    <message>
        <source>批准工作日数（不填按申请）</source>
        <translation>Approved working days (blank: as requested)</translation>
    </message>
    <message>
        <source>审批意见</source>
        <translation>Decision note</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Handling result</translation>
    </message>
    <message>
        <source>审核意见</source>
        <translation>Review note</translation>
    </message>
    <message>
        <source>退回意见</source>
        <translation>Reason for sending back</translation>
    </message>
    <message>
        <source>上报理由</source>
        <translation>Reason for escalating</translation>
    </message>
    <message>
        <source>评价说明</source>
        <translation>Evaluation note</translation>
    </message>
    <message>
        <source>回访记录</source>
        <translation>Follow-up record</translation>
    </message>
    <message>
        <source>作废理由</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <source>取消理由</source>
        <translation>Reason for ending</translation>
    </message>
    <message>
        <source>暂停理由（如等待鉴定）</source>
        <translation>Reason for pausing (e.g. awaiting appraisal)</translation>
    </message>
    <message>
        <source>确认执行“%1”？</source>
        <translation>Carry out “%1”?</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>不填则按规则计算</source>
        <translation>Blank: computed by the rules</translation>
    </message>
    <message>
        <source>请选择%1</source>
        <translation>Choose %1</translation>
    </message>
</context>
<context>
    <name>AgreementDialog</name>
    <message>
        <source>人民调解协议书</source>
        <translation>People’s mediation agreement</translation>
    </message>
    <message>
        <source>每行一条协议内容</source>
        <translation>One term of the agreement per line</translation>
    </message>
    <message>
        <source>口头协议（登记备查，不出具协议书）</source>
        <translation>Oral agreement (recorded, no written agreement)</translation>
    </message>
    <message>
        <source>纠纷主要事实、争议事项</source>
        <translation>Main facts and matters in dispute</translation>
    </message>
    <message>
        <source>协议内容</source>
        <translation>Terms agreed</translation>
    </message>
    <message>
        <source>履行方式、时限</source>
        <translation>How and by when it is fulfilled</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <source>在日历中改期</source>
        <translation>Move in the calendar</translation>
    </message>
    <message>
        <source>取消此预约</source>
        <translation>Cancel this booking</translation>
    </message>
    <message>
        <source>取消另一个</source>
        <translation>Cancel the other one</translation>
    </message>
    <message>
        <source>两台电脑重复预约</source>
        <translation>Double booking from two PCs</translation>
    </message>
    <message>
        <source>调解室不开放</source>
        <translation>Room not open</translation>
    </message>
    <message>
        <source>节假日</source>
        <translation>Holiday</translation>
    </message>
    <message>
        <source>【%1】%2 %3「%4」（待通知：%5）</source>
        <translation>[%1] %2 %3 “%4” (to notify: %5)</translation>
    </message>
    <message>
        <source> 与 %1「%2」（待通知：%3）重叠</source>
        <translation> overlaps %1 “%2” (to notify: %3)</translation>
    </message>
    <message>
        <source>无当事人</source>
        <translation>no parties</translation>
    </message>
    <message>
        <source>取消「%1」</source>
        <translation>Cancel “%1”</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Object</translation>
    </message>
    <message>
        <source>设备与序号</source>
        <translation>Device and seq.</translation>
    </message>
    <message>
        <source>%1 项变更</source>
        <translation>Changes: %1</translation>
    </message>
    <message>
        <source>用户名 %1</source>
        <translation>user name %1</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <source>全部用户</source>
        <translation>All users</translation>
    </message>
    <message>
        <source>日期格式应为 2026-11-20</source>
        <translation>Dates look like 2026-11-20</translation>
    </message>
    <message>
        <source>共 %1 条（最新在前）</source>
        <translation>%1 entries (newest first)</translation>
    </message>
    <message>
        <source>导出审计日志</source>
        <translation>Export audit log</translation>
    </message>
    <message>
        <source>审计日志.csv</source>
        <translation>audit-log.csv</translation>
    </message>
    <message>
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
</context>
<context>
    <name>BackgroundJobs</name>
    <message>
        <source>自动备份失败，1小时后重试；请检查备份文件夹（设置），详情见日志</source>
        <translation>Automatic backup failed; retrying in an hour; check the backup folder (Settings); see the log</translation>
    </message>
    <message>
        <source>逾期检查失败，10分钟后自动重试；详情见日志</source>
        <translation>Overdue check failed; retrying in 10 minutes; see the log</translation>
    </message>
    <message>
        <source>调解室过期检查失败，5分钟后自动重试；详情见日志</source>
        <translation>Room expiry check failed; retrying in 5 minutes; see the log</translation>
    </message>
</context>
<context>
    <name>BookingDialog</name>
    <message>
        <source>预约调解室</source>
        <translation>Book a mediation room</translation>
    </message>
    <message>
        <source>%1（%2人）</source>
        <translation>%1 (%2 people)</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>如：请带上宅基地证（显示在日程和提示中）</source>
        <translation>e.g. bring the homestead certificate (shown in the schedule and reminders)</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>每周重复（如律师每周值班）</source>
        <translation>Repeat weekly (e.g. a lawyer’s weekly duty)</translation>
    </message>
    <message>
        <source>按结束日期</source>
        <translation>Until a date</translation>
    </message>
    <message>
        <source> 次</source>
        <translation> times</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Handling deadline</translation>
    </message>
    <message>
        <source>重复至</source>
        <translation>Repeat until</translation>
    </message>
    <message>
        <source>重复次数</source>
        <translation>Occurrences</translation>
    </message>
</context>
<context>
    <name>CalendarGrid</name>
    <message>
        <source>调解室日程</source>
        <translation>Room schedule</translation>
    </message>
    <message>
        <source>%1
%2人</source>
        <translation>%1
%2 people</translation>
    </message>
    <message>
        <source>（闭馆）</source>
        <translation>(closed)</translation>
    </message>
    <message>
        <source>当事人：</source>
        <translation>Parties: </translation>
    </message>
    <message>
        <source>%1场</source>
        <translation>%1 booked</translation>
    </message>
    <message>
        <source>调解员：</source>
        <translation>Mediators: </translation>
    </message>
    <message>
        <source>备注：</source>
        <translation>Note: </translation>
    </message>
</context>
<context>
    <name>CandidatePanel</name>
    <message>
        <source>身份证号一致</source>
        <translation>Same ID number</translation>
    </message>
    <message>
        <source>身份证号前几位相同</source>
        <translation>ID number starts the same</translation>
    </message>
    <message>
        <source>电话一致</source>
        <translation>Same phone</translation>
    </message>
    <message>
        <source>曾用电话一致</source>
        <translation>Same earlier phone</translation>
    </message>
    <message>
        <source>电话前几位相同</source>
        <translation>Phone starts the same</translation>
    </message>
    <message>
        <source>姓名相同</source>
        <translation>Same name</translation>
    </message>
    <message>
        <source>姓名相近</source>
        <translation>Similar name</translation>
    </message>
    <message>
        <source>拼音首字母相同</source>
        <translation>Same pinyin initials</translation>
    </message>
    <message>
        <source>同名同电话</source>
        <translation>Same name and phone</translation>
    </message>
    <message>
        <source>疑似同一人（F3 选择，Enter 确认；F4 关联首个在办案件）</source>
        <translation>Possibly the same person (F3 to choose, Enter to use; F4 attaches to the first open case)</translation>
    </message>
    <message>
        <source>输入姓名、证件号码或电话后，这里显示已登记的人员及其在办案件</source>
        <translation>Type a name, ID number or phone: people already registered and their open cases appear here</translation>
    </message>
    <message>
        <source>来访%1次</source>
        <translation>%1 visits</translation>
    </message>
    <message>
        <source>&#x3000;↳ 关联在办案件 %1 %2（%3）</source>
        <translation>&#x3000;↳ attach to open case %1 %2 (%3)</translation>
    </message>
</context>
<context>
    <name>CaseFileView</name>
    <message>
        <source>查看完整号码…</source>
        <translation>Show full number…</translation>
    </message>
    <message>
        <source>【部分未计入】%1 </source>
        <translation>[partly not counted] %1 </translation>
    </message>
    <message>
        <source>%1的%2：%3</source>
        <translation>%1&apos;s %2: %3</translation>
    </message>
    <message>
        <source>（未登记）</source>
        <translation>(not recorded)</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>办结期限</source>
        <translation>Resolve by</translation>
    </message>
    <message>
        <source>签收期限</source>
        <translation>Sign for by</translation>
    </message>
    <message>
        <source>人民调解期限</source>
        <translation>Mediation deadline</translation>
    </message>
    <message>
        <source>审核期限</source>
        <translation>Review by</translation>
    </message>
    <message>
        <source>评价期限</source>
        <translation>Evaluate by</translation>
    </message>
    <message>
        <source>回访期限</source>
        <translation>Follow up by</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>被申请人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <source>代表</source>
        <translation>Representative</translation>
    </message>
    <message>
        <source>第三人</source>
        <translation>Third party</translation>
    </message>
    <message>
        <source>代理人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>请在案件台账中打开一个案件</source>
        <translation>Open a case from the case ledger</translation>
    </message>
    <message>
        <source>基本情况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>诉求</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>时限</source>
        <translation>Deadlines</translation>
    </message>
    <message>
        <source>可执行的操作</source>
        <translation>Available actions</translation>
    </message>
    <message>
        <source>签发文书…</source>
        <translation>Issue document…</translation>
    </message>
    <message>
        <source>预约调解…</source>
        <translation>Book mediation…</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>经办</source>
        <translation>By</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>调解</source>
        <translation>Mediation</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>流转记录</source>
        <translation>History</translation>
    </message>
    <message>
        <source>%1色风险</source>
        <translation>%1 risk</translation>
    </message>
    <message>
        <source>承办：%1</source>
        <translation>Handled by: %1</translation>
    </message>
    <message>
        <source>已反馈</source>
        <translation>Reported back</translation>
    </message>
    <message>
        <source>已签收</source>
        <translation>Signed for</translation>
    </message>
    <message>
        <source>待签收</source>
        <translation>To sign for</translation>
    </message>
    <message>
        <source>协办：%1（%2）</source>
        <translation>Co-handling: %1 (%2)</translation>
    </message>
    <message>
        <source>预约</source>
        <translation>Booking</translation>
    </message>
    <message>
        <source>第%1次调解</source>
        <translation>Mediation session %1</translation>
    </message>
    <message>
        <source>（已作废）</source>
        <translation> (voided)</translation>
    </message>
    <message>
        <source>口头协议</source>
        <translation>Oral agreement</translation>
    </message>
    <message>
        <source>调解协议书</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <source>无运行中的时限</source>
        <translation>No deadline running</translation>
    </message>
    <message>
        <source>已超期%1个工作日</source>
        <translation>%1 working days overdue</translation>
    </message>
    <message>
        <source>剩余%1个工作日</source>
        <translation>%1 working days left</translation>
    </message>
    <message>
        <source>（计时暂停）</source>
        <translation> (clock paused)</translation>
    </message>
    <message>
        <source>（临时计算）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <source>【冲突，未计入】%1 </source>
        <translation>[conflict, not counted] %1 </translation>
    </message>
</context>
<context>
    <name>CentreDialog</name>
    <message>
        <source>通知书上的地址和电话</source>
        <translation>Address and phone on notices</translation>
    </message>
    <message>
        <source>如 青山镇综治中心二楼（镇政府院内）</source>
        <translation>e.g. 2nd floor, township centre (inside the government compound)</translation>
    </message>
    <message>
        <source>中心地址</source>
        <translation>Centre address</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>新密码（至少8位，含字母和数字）</source>
        <translation>New password (8+ characters, letters and digits)</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致</source>
        <translation>The two new passwords differ</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>乡镇(街道)</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>风险</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>剩余工作日</source>
        <translation>Working days left</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>村(社区)</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>层级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>办结期限</source>
        <translation>Resolve by</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>程序遇到了意外错误。已保存的数据不受影响，未保存的操作请检查后重做。</source>
        <translation>The program met an unexpected error. Saved data is not affected; check and redo what was not saved.</translation>
    </message>
    <message>
        <source>错误详情已写入日志文件：
%1
如问题反复出现，请把这个文件发给技术支持。</source>
        <translation>The details are in the log file:
%1
If it happens again, send this file to support.</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>近90天</source>
        <translation>Last 90 days</translation>
    </message>
    <message>
        <source>近365天</source>
        <translation>Last 365 days</translation>
    </message>
    <message>
        <source>日报</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>周报</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>月报</source>
        <translation>Monthly</translation>
    </message>
    <message>
        <source>考核表</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>统计区间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>主要指标（统计区间内）</source>
        <translation>Key figures (in the period)</translation>
    </message>
    <message>
        <source>报告期，如 2026-11、2026-W47、2026-11-20</source>
        <translation>Report period, e.g. 2026-11, 2026-W47, 2026-11-20</translation>
    </message>
    <message>
        <source>生成PDF…</source>
        <translation>Make PDF…</translation>
    </message>
    <message>
        <source>导出Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <source>报告</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>统计时间 %1；%2</source>
        <translation>Counted at %1; %2</translation>
    </message>
    <message>
        <source>统计失败：%1</source>
        <translation>Counting failed: %1</translation>
    </message>
    <message>
        <source>在台账中查看这 %1 件</source>
        <translation>Show these %1 cases in the ledger</translation>
    </message>
    <message>
        <source>%1：&lt;b&gt;%2&lt;/b&gt;（%3/%4）</source>
        <translation>%1: &lt;b&gt;%2&lt;/b&gt; (%3/%4)</translation>
    </message>
    <message>
        <source>口径</source>
        <translation>Definition</translation>
    </message>
    <message>
        <source>每日新增与办结</source>
        <translation>New and resolved per day</translation>
    </message>
    <message>
        <source>乡镇对比</source>
        <translation>Townships compared</translation>
    </message>
    <message>
        <source>%1 新增</source>
        <translation>%1 new</translation>
    </message>
    <message>
        <source>%1 办结</source>
        <translation>%1 resolved</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>在办</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>红色</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>%1 登记</source>
        <translation>%1 registered</translation>
    </message>
    <message>
        <source>保存报告</source>
        <translation>Save report</translation>
    </message>
    <message>
        <source>正在生成…</source>
        <translation>Making…</translation>
    </message>
    <message>
        <source>已保存：%1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>未能生成：%1</source>
        <translation>Could not make: %1</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Resolved</translation>
    </message>
</context>
<context>
    <name>DateEdit</name>
    <message>
        <source>确认日期</source>
        <translation>Confirm date</translation>
    </message>
    <message>
        <source>如 20261208、12-08、12月8日</source>
        <translation>e.g. 20261208, 12-08</translation>
    </message>
    <message>
        <source>输入日期，如 20261208、2026-12-08、12-08、12月8日、今天；↑↓ 加减一天，F4 打开日历</source>
        <translation>Type a date, e.g. 20261208, 2026-12-08, 12-08 or today; ↑↓ one day, F4 opens the calendar</translation>
    </message>
    <message>
        <source>选择日期 (F4)</source>
        <translation>Choose date (F4)</translation>
    </message>
    <message>
        <source>日期 %1 距今超过一年，确定使用这个日期吗？</source>
        <translation>%1 is more than a year away. Use this date?</translation>
    </message>
</context>
<context>
    <name>DemoStatus</name>
    <message>
        <source>正在生成演示数据：%1 / %2 件，可先使用</source>
        <translation>Making the demo data: %1 / %2 cases (you can start working)</translation>
    </message>
    <message>
        <source>演示数据已生成</source>
        <translation>The demo data is ready</translation>
    </message>
</context>
<context>
    <name>DocumentPrinter</name>
    <message>
        <source>本机没有能显示以下字符的字体：%1
这些字将以编码代替打印（可手写补上）。仍要打印吗？</source>
        <translation>No font on this PC shows these characters: %1
They will print as codes (fill them in by hand). Print anyway?</translation>
    </message>
    <message>
        <source>已取消打印：请安装含这些字的字体（如 SimSun-ExtB）后再打印</source>
        <translation>Printing cancelled: install a font with these characters (e.g. SimSun-ExtB), then print</translation>
    </message>
    <message>
        <source>已打印人民调解协议书%1</source>
        <translation>Mediation agreement printed%1</translation>
    </message>
    <message>
        <source>已打印调解通知书%1</source>
        <translation>Mediation notice printed%1</translation>
    </message>
    <message>
        <source>（补打）</source>
        <translation> (reprint)</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>（案件中暂无此项）</source>
        <translation>(not in the case yet)</translation>
    </message>
    <message>
        <source>如 20261208、12-08、12月8日</source>
        <translation>e.g. 20261208, 12-08</translation>
    </message>
    <message>
        <source>请选择…</source>
        <translation>Choose…</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>初始设置</source>
        <translation>First set-up</translation>
    </message>
    <message>
        <source>首次使用，请填写本乡镇（街道）信息和管理员账号。</source>
        <translation>First use: enter this township and the administrator’s account.</translation>
    </message>
    <message>
        <source>12位统计用区划代码，如 620123101000</source>
        <translation>12-digit statistical area code, e.g. 620123101000</translation>
    </message>
    <message>
        <source>乡镇（街道）名称</source>
        <translation>Township name</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Area code</translation>
    </message>
    <message>
        <source>管理员用户名</source>
        <translation>Administrator user name</translation>
    </message>
    <message>
        <source>管理员姓名</source>
        <translation>Administrator name</translation>
    </message>
    <message>
        <source>密码（至少8位，含字母和数字）</source>
        <translation>Password (8+ characters, letters and digits)</translation>
    </message>
    <message>
        <source>请填写乡镇（街道）名称</source>
        <translation>Enter the township name</translation>
    </message>
    <message>
        <source>请填写管理员用户名</source>
        <translation>Enter the administrator user name</translation>
    </message>
    <message>
        <source>请填写管理员姓名</source>
        <translation>Enter the administrator name</translation>
    </message>
    <message>
        <source>密码至少8位，须同时包含字母和数字</source>
        <translation>The password needs 8+ characters with letters and digits</translation>
    </message>
</context>
<context>
    <name>FontsPanel</name>
    <message>
        <source>文书字体（打印的文书、通知书、协议书）</source>
        <translation>Document fonts (printed documents, notices, agreements)</translation>
    </message>
    <message>
        <source>仿宋（正文）</source>
        <translation>FangSong (body)</translation>
    </message>
    <message>
        <source>宋体</source>
        <translation>SongTi</translation>
    </message>
    <message>
        <source>黑体（标题、标签）</source>
        <translation>HeiTi (titles, labels)</translation>
    </message>
    <message>
        <source>小标宋（文头）</source>
        <translation>XiaoBiaoSong (letterhead)</translation>
    </message>
    <message>
        <source>选择字体文件…</source>
        <translation>Choose font file…</translation>
    </message>
    <message>
        <source>自动</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>依次使用方正GBK字体、Windows字体、随软件附带的字体</source>
        <translation>Founder GBK fonts first, then Windows fonts, then the bundled ones</translation>
    </message>
    <message>
        <source>更改字体后，新打印的文书使用新字体；已签发文书重新生成的PDF与签发时的校验值将不一致。</source>
        <translation>After a font change new prints use the new font; a re-made PDF of an issued document will no longer match its checksum.</translation>
    </message>
    <message>
        <source>只有中心主任或系统管理员可以更改文书字体</source>
        <translation>Only the centre director or the administrator can change document fonts</translation>
    </message>
    <message>
        <source>，加粗显示</source>
        <translation>, drawn bold</translation>
    </message>
    <message>
        <source>字体读取失败，详情已记入日志</source>
        <translation>Font could not be read; see the log</translation>
    </message>
    <message>
        <source>选择字体文件</source>
        <translation>Choose font file</translation>
    </message>
    <message>
        <source>TrueType 字体 (*.ttf *.ttc)</source>
        <translation>TrueType fonts (*.ttf *.ttc)</translation>
    </message>
    <message>
        <source>已保存，新打印的文书使用所列字体</source>
        <translation>Saved; new prints use these fonts</translation>
    </message>
</context>
<context>
    <name>IdentityConflictDialog</name>
    <message>
        <source>证件号码与登记人员不符</source>
        <translation>The ID number does not match the registered person</translation>
    </message>
    <message>
        <source>（未填写）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <source>已登记姓名：</source>
        <translation>Registered name: </translation>
    </message>
    <message>
        <source>本次填写姓名：</source>
        <translation>Name typed now: </translation>
    </message>
    <message>
        <source>证件号码：</source>
        <translation>ID number: </translation>
    </message>
    <message>
        <source>更名原因，如：已在派出所办理姓名变更</source>
        <translation>Reason for the new name, e.g. changed at the police station</translation>
    </message>
    <message>
        <source>确认更名须填写原因：</source>
        <translation>A new name needs a reason:</translation>
    </message>
    <message>
        <source>修改号码</source>
        <translation>Correct the number</translation>
    </message>
    <message>
        <source>确认更名</source>
        <translation>Confirm new name</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>IssueSlipDialog</name>
    <message>
        <source>签发文书</source>
        <translation>Issue document</translation>
    </message>
    <message>
        <source>颜色等级</source>
        <translation>Colour level</translation>
    </message>
    <message>
        <source>文书种类</source>
        <translation>Document kind</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>签发</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>案件：%1&#x3000;%2</source>
        <translation>Case: %1&#x3000;%2</translation>
    </message>
    <message>
        <source>注意：本机没有能显示 %1 的字体，签发时将请您确认。</source>
        <translation>Note: no font on this PC can show %1; you will be asked when issuing.</translation>
    </message>
    <message>
        <source>已签发：%1。可打印，也可稍后在文书台账中打印。</source>
        <translation>Issued: %1. Print it now or later from the documents list.</translation>
    </message>
    <message>
        <source>仍要签发吗？缺字将以编码代替打印。</source>
        <translation>Issue anyway? Missing characters print as their code.</translation>
    </message>
    <message>
        <source>缺少字体</source>
        <translation>Missing font</translation>
    </message>
    <message>
        <source>未签发，请检查：</source>
        <translation>Not issued; check:</translation>
    </message>
    <message>
        <source>未签发：</source>
        <translation>Not issued: </translation>
    </message>
</context>
<context>
    <name>LedgerColumns</name>
    <message>
        <source>超期%1天</source>
        <translation>%1 d overdue</translation>
    </message>
    <message>
        <source>剩%1天</source>
        <translation>%1 d left</translation>
    </message>
    <message>
        <source>*期限为临时计算（节假日安排未导入）</source>
        <translation>*Provisional deadline (holiday schedule not imported)</translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <source>今日到期</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>红色预警</source>
        <translation>Red alert</translation>
    </message>
    <message>
        <source>待签收</source>
        <translation>To sign for</translation>
    </message>
    <message>
        <source>我经办的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>搜索编号、姓名、事由（拼音首字母亦可）</source>
        <translation>Search case no., name, matter (pinyin initials too)</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>全部颜色</source>
        <translation>All colours</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部乡镇</source>
        <translation>All townships</translation>
    </message>
    <message>
        <source>全部村(社区)</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>全部层级</source>
        <translation>All levels</translation>
    </message>
    <message>
        <source>全部督办</source>
        <translation>All supervision</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>导出Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>清除，回到台账筛选</source>
        <translation>Clear, back to the ledger filters</translation>
    </message>
    <message>
        <source>统计：%1（台账筛选暂不生效）</source>
        <translation>Statistics: %1 (ledger filters paused)</translation>
    </message>
    <message>
        <source>原编号 %1 已改为 %2</source>
        <translation>Old code %1 is now %2</translation>
    </message>
    <message>
        <source>，向下滚动加载更多</source>
        <translation>, scroll down for more</translation>
    </message>
    <message>
        <source>（加载中…）</source>
        <translation> (loading…)</translation>
    </message>
    <message>
        <source>正在统计</source>
        <translation>counting</translation>
    </message>
    <message>
        <source>%1+</source>
        <translation>more than %1</translation>
    </message>
    <message>
        <source>共 %4 条，已显示 %1 条%2%3</source>
        <translation>%4 in all, %1 shown%2%3</translation>
    </message>
    <message>
        <source>加载失败：%1（稍后将自动重试）</source>
        <translation>Loading failed: %1 (retrying shortly)</translation>
    </message>
    <message>
        <source>案件台账-%1.xlsx</source>
        <translation>case-ledger-%1.xlsx</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出 %1 条到 %2</source>
        <translation>Exported %1 rows to %2</translation>
    </message>
    <message>
        <source>导出失败：%1</source>
        <translation>Export failed: %1</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>%1 离开时屏幕已锁定，未保存的内容仍在。请输入密码解锁。</source>
        <translation>The screen locked while %1 was away; unsaved input is still there. Enter the password to unlock.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>密码不正确（连续输错将锁定账号）</source>
        <translation>Wrong password (repeated errors lock the account)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>接待登记</source>
        <translation>Reception</translation>
    </message>
    <message>
        <source>案件台账</source>
        <translation>Case ledger</translation>
    </message>
    <message>
        <source>案件详情</source>
        <translation>Case file</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Mediation rooms</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>综治中心工作台</source>
        <translation>Governance Centre Workbench</translation>
    </message>
    <message>
        <source>正在打开数据…</source>
        <translation>Opening the data…</translation>
    </message>
    <message>
        <source>%1（Alt+%2）</source>
        <translation>%1 (Alt+%2)</translation>
    </message>
    <message>
        <source>“%1”尚未开放，将在后续版本中提供。</source>
        <translation>“%1” is not available yet; it comes in a later version.</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>调解室功能未启用</source>
        <translation>Mediation rooms are not enabled</translation>
    </message>
    <message>
        <source>文书功能未启用</source>
        <translation>Documents are not enabled</translation>
    </message>
    <message>
        <source>状态暂时无法读取，详情见日志</source>
        <translation>Status unavailable for now; see the log</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>用户：%1</source>
        <translation>User: %1</translation>
    </message>
    <message>
        <source>上次同步 %1</source>
        <translation>Last sync %1</translation>
    </message>
    <message>
        <source>尚未与县级平台同步</source>
        <translation>Never synced with the county hub</translation>
    </message>
    <message>
        <source>%1 · 待同步 %2 条</source>
        <translation>%1 · %2 to sync</translation>
    </message>
    <message>
        <source>未配置县级平台</source>
        <translation>No county hub set up</translation>
    </message>
    <message>
        <source>待同步 %1 条</source>
        <translation>%1 to sync</translation>
    </message>
    <message>
        <source>冲突 %1</source>
        <translation>%1 conflicts</translation>
    </message>
    <message>
        <source>隔离 %1</source>
        <translation>%1 quarantined</translation>
    </message>
    <message>
        <source>本机时钟不准，请校准本机时间</source>
        <translation>This PC&apos;s clock is wrong: please set the correct time</translation>
    </message>
    <message>
        <source>离线，稍后重试</source>
        <translation>Offline, retrying later</translation>
    </message>
    <message>
        <source>同步出错：%1</source>
        <translation>Sync error: %1</translation>
    </message>
    <message>
        <source>“%1”中有尚未保存的内容。关闭程序将丢弃这些内容，确定关闭吗？</source>
        <translation>“%1” has unsaved input. Closing discards it. Close anyway?</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>MediatorDialog</name>
    <message>
        <source>修改调解员</source>
        <translation>Edit mediator</translation>
    </message>
    <message>
        <source>添加调解员</source>
        <translation>Add mediator</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>擅长纠纷类别代码，如 02、0301，以顿号分隔</source>
        <translation>Category codes of expertise, e.g. 02, 0301, comma-separated</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>擅长类别</source>
        <translation>Expertise</translation>
    </message>
    <message>
        <source>值班星期（不选为每天）</source>
        <translation>Duty weekdays (none: every day)</translation>
    </message>
</context>
<context>
    <name>PdfOutput</name>
    <message>
        <source>已取消打印</source>
        <translation>Printing cancelled</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>已取消打印，未送出任何页</source>
        <translation>Printing cancelled, no page sent</translation>
    </message>
    <message>
        <source>打印失败</source>
        <translation>Printing failed</translation>
    </message>
    <message>
        <source>正在打印第 %1/%2 页…</source>
        <translation>Printing page %1/%2…</translation>
    </message>
    <message>
        <source>未找到打印机</source>
        <translation>No printer found</translation>
    </message>
    <message>
        <source>本机没有可用的打印机。可以另存为PDF，拿到有打印机的电脑上打印。</source>
        <translation>This PC has no printer. Save as PDF and print it on a PC with a printer.</translation>
    </message>
    <message>
        <source>另存为PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>未找到打印机：未打印</source>
        <translation>No printer found: not printed</translation>
    </message>
    <message>
        <source>另存为PDF失败：%1</source>
        <translation>Saving as PDF failed: %1</translation>
    </message>
    <message>
        <source>已另存为PDF（%1 个文件）</source>
        <translation>Saved as PDF (%1 files)</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReceptionView</name>
    <message>
        <source>保存登记 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>清空 (Esc)</source>
        <translation>Clear (Esc)</translation>
    </message>
    <message>
        <source>打印回执 (Ctrl+P)</source>
        <translation>Print receipt (Ctrl+P)</translation>
    </message>
    <message>
        <source>打开案件 (Ctrl+O)</source>
        <translation>Open case (Ctrl+O)</translation>
    </message>
    <message>
        <source>今日调解</source>
        <translation>Today’s mediation</translation>
    </message>
    <message>
        <source>本次来访将作为重复来访关联到案件 %1，不新建案件（Esc 取消关联）</source>
        <translation>This visit will be attached to case %1 as a repeat visit; no new case (Esc to detach)</translation>
    </message>
    <message>
        <source>已登记，案件编号</source>
        <translation>Registered, case no.</translation>
    </message>
    <message>
        <source>已关联到案件</source>
        <translation>Attached to case</translation>
    </message>
    <message>
        <source>数据库正被其他程序占用，登记内容未丢失，请稍后再按保存。</source>
        <translation>The database is busy in another program; the input is kept. Press Save again shortly.</translation>
    </message>
    <message>
        <source>数据库繁忙</source>
        <translation>Database busy</translation>
    </message>
    <message>
        <source>无法保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>保存时出现意外错误，登记内容仍在表单中：%1</source>
        <translation>Unexpected error while saving; the input is still in the form: %1</translation>
    </message>
    <message>
        <source>查询失败：%1</source>
        <translation>Lookup failed: %1</translation>
    </message>
    <message>
        <source>清空表单</source>
        <translation>Clear form</translation>
    </message>
    <message>
        <source>确定清空当前填写的内容吗？</source>
        <translation>Clear what has been typed?</translation>
    </message>
    <message>
        <source>今日调解安排暂时无法读取，详情见日志</source>
        <translation>Today’s mediation schedule is unavailable; see the log</translation>
    </message>
    <message>
        <source>今天没有待进行的调解</source>
        <translation>No mediation left today</translation>
    </message>
</context>
<context>
    <name>ReminderModel</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>已通知</source>
        <translation>Told</translation>
    </message>
    <message>
        <source>先处理再通知：%1</source>
        <translation>Settle first, then notify: %1</translation>
    </message>
    <message>
        <source>（无电话）</source>
        <translation>(no phone)</translation>
    </message>
    <message>
        <source>MM-dd ddd</source>
        <translation>ddd d MMM</translation>
    </message>
    <message>
        <source>【待处理，暂勿通知】</source>
        <translation>[to settle, do not notify yet]</translation>
    </message>
</context>
<context>
    <name>ReminderPanel</name>
    <message>
        <source>指定日期</source>
        <translation>Chosen dates</translation>
    </message>
    <message>
        <source>显示号码</source>
        <translation>Show numbers</translation>
    </message>
    <message>
        <source>已电话通知</source>
        <translation>Phoned</translation>
    </message>
    <message>
        <source>打印调解通知书</source>
        <translation>Print mediation notice</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>不是可用的备份文件：无法作为本程序的数据库打开</source>
        <translation>Not a usable backup: it cannot be opened as this program&apos;s database</translation>
    </message>
    <message>
        <source>数据库文件已损坏（完整性检查未通过）</source>
        <translation>The database file is damaged (integrity check failed)</translation>
    </message>
    <message>
        <source>数据结构版本“%1”不是本程序认识的版本</source>
        <translation>Schema version “%1” is not one this program knows</translation>
    </message>
    <message>
        <source>审计日志校验未通过：%1</source>
        <translation>Audit log check failed: %1</translation>
    </message>
    <message>
        <source>正在复制备份…</source>
        <translation>Copying the backup…</translation>
    </message>
    <message>
        <source>正在检查完整性…</source>
        <translation>Checking integrity…</translation>
    </message>
    <message>
        <source>正在核对数据结构版本…</source>
        <translation>Checking the schema version…</translation>
    </message>
    <message>
        <source>正在校验审计日志…</source>
        <translation>Verifying the audit log…</translation>
    </message>
    <message>
        <source>数据库仍被其他工作台窗口占用</source>
        <translation>the database is still open in another workbench window</translation>
    </message>
    <message>
        <source>找不到要恢复的备份文件（已被移走或删除）</source>
        <translation>the backup file to restore was not found (moved or deleted)</translation>
    </message>
    <message>
        <source>备份文件在检查之后被改动过</source>
        <translation>the backup file was changed after it was checked</translation>
    </message>
    <message>
        <source>备份未通过检查</source>
        <translation>the backup failed its check</translation>
    </message>
    <message>
        <source>读写文件出错</source>
        <translation>a file could not be read or written</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>备份文件夹：%1</source>
        <translation>Backup folder: %1</translation>
    </message>
    <message>
        <source>先选中一个备份并“检查”（完整性、数据结构版本、审计日志），通过后才能恢复。恢复时工作台重新启动，替换前再检查一遍；现在的数据库另存为备份，不会丢失。备份之后登记和办理的事项，下次同步时从县级平台取回。</source>
        <translation>Select a backup and “Check” it (integrity, schema version, audit log); only a backup that passed can be restored. The workbench restarts to restore and checks the backup again before replacing anything; the current database is kept as a backup, nothing is lost. What was registered and handled after the backup comes back from the county hub at the next sync.</translation>
    </message>
    <message>
        <source>备份时间</source>
        <translation>Taken at</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>数据结构版本</source>
        <translation>Schema version</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Check result</translation>
    </message>
    <message>
        <source>选择其他备份文件…</source>
        <translation>Choose another backup file…</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>恢复…</source>
        <translation>Restore…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在读取备份…</source>
        <translation>Reading the backups…</translation>
    </message>
    <message>
        <source>备份文件夹中没有备份。可以“选择其他备份文件…”。</source>
        <translation>The backup folder holds no backups. Use “Choose another backup file…”.</translation>
    </message>
    <message>
        <source>共 %1 个备份</source>
        <translation>%1 backup(s)</translation>
    </message>
    <message>
        <source>无法读取</source>
        <translation>Unreadable</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>未检查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <source>未通过：%1</source>
        <translation>Failed: %1</translation>
    </message>
    <message>
        <source>选择备份文件</source>
        <translation>Choose a backup file</translation>
    </message>
    <message>
        <source>数据库备份 (*.db)</source>
        <translation>Database backups (*.db)</translation>
    </message>
    <message>
        <source>检查通过：完整性、数据结构版本（%1）和审计日志均正常。可以恢复。</source>
        <translation>Check passed: integrity, schema version (%1) and audit log are all in order. The backup can be restored.</translation>
    </message>
    <message>
        <source>检查未通过，不能用这个备份恢复。</source>
        <translation>The check failed: this backup cannot be restored.</translation>
    </message>
    <message>
        <source>“%1”中有尚未保存的内容。恢复时工作台要重新启动，请先保存或清空这些内容，再恢复。</source>
        <translation>“%1” holds unsaved input. The workbench restarts to restore: save or clear it first, then restore.</translation>
    </message>
    <message>
        <source>用 %1 的备份替换本机数据库？

工作台将关闭并重新启动，启动时再检查一遍备份，然后替换。现在的数据库先另存为备份，不会丢失。
备份之后登记和办理的事项，下次同步时从县级平台取回。</source>
        <translation>Replace this PC&apos;s database with the backup of %1?

The workbench closes and starts again; at the start it checks the backup once more, then replaces the database. The current database is kept as a backup first, nothing is lost.
What was registered and handled after the backup comes back from the county hub at the next sync.</translation>
    </message>
    <message>
        <source>已记下要恢复的备份，工作台正在重新启动…</source>
        <translation>The backup to restore is recorded; the workbench is restarting…</translation>
    </message>
    <message>
        <source>出现意外错误，详情已记入日志，数据库未被改动。</source>
        <translation>An unexpected error occurred; the details are in the log. The database was not changed.</translation>
    </message>
    <message>
        <source>已从备份 %1 恢复本机数据库（数据结构版本 %2）。原来的数据库已另存为备份 %3。下次同步时将从县级平台重新取回本乡镇的全部数据，备份之后登记和办理的事项会回到本机。</source>
        <translation>This PC&apos;s database was restored from backup %1 (schema version %2). The database it replaced is kept as backup %3. The next sync fetches all of the township&apos;s data from the county hub again, so what was registered and handled after the backup comes back to this PC.</translation>
    </message>
    <message>
        <source>未从备份 %1 恢复：%2。本机数据库保持原样，没有任何改动；可以在“文件 → 从备份恢复…”中重新检查后再试。</source>
        <translation>Backup %1 was not restored: %2. This PC&apos;s database was left exactly as it was; check the backup again in “File → Restore from backup…” and retry.</translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <source>查看完整号码</source>
        <translation>Show full number</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>例如：电话通知当事人到场</source>
        <translation>e.g. calling the party to attend</translation>
    </message>
    <message>
        <source>查看完整号码会连同理由记入审计日志。</source>
        <translation>Showing a full number is written to the audit log with its reason.</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Party</translation>
    </message>
    <message>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>查看理由(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>请填写查看理由</source>
        <translation>Please give a reason</translation>
    </message>
</context>
<context>
    <name>RoomDialog</name>
    <message>
        <source>法定工作日</source>
        <translation>Official working days</translation>
    </message>
    <message>
        <source>指定星期</source>
        <translation>Chosen weekdays</translation>
    </message>
    <message>
        <source>每天</source>
        <translation>Every day</translation>
    </message>
    <message>
        <source>自由时段</source>
        <translation>Free times</translation>
    </message>
    <message>
        <source>整点时段</source>
        <translation>On the hour</translation>
    </message>
    <message>
        <source>修改调解室</source>
        <translation>Edit room</translation>
    </message>
    <message>
        <source>添加调解室</source>
        <translation>Add room</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>普通调解室</source>
        <translation>Standard room</translation>
    </message>
    <message>
        <source>如 2026-12-01、2026-12-24，以顿号分隔</source>
        <translation>e.g. 2026-12-01, 2026-12-24, comma-separated</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>容纳人数</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Equipment</translation>
    </message>
    <message>
        <source>开放规则</source>
        <translation>Opening rule</translation>
    </message>
    <message>
        <source>开放星期</source>
        <translation>Open weekdays</translation>
    </message>
    <message>
        <source>预约方式</source>
        <translation>Booking mode</translation>
    </message>
    <message>
        <source>开门</source>
        <translation>Opens</translation>
    </message>
    <message>
        <source>关门</source>
        <translation>Closes</translation>
    </message>
    <message>
        <source>闭馆日期</source>
        <translation>Closed dates</translation>
    </message>
    <message>
        <source>中心工作人员</source>
        <translation>Centre staff</translation>
    </message>
    <message>
        <source>外聘人民调解员</source>
        <translation>External mediator</translation>
    </message>
</context>
<context>
    <name>RoomsView</name>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>◀</source>
        <translation>◀</translation>
    </message>
    <message>
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>新建预约</source>
        <translation>New booking</translation>
    </message>
    <message>
        <source>撤销移动</source>
        <translation>Undo move</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Check in</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>取消预约</source>
        <translation>Cancel booking</translation>
    </message>
    <message>
        <source>过期未到</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>调解记录</source>
        <translation>Session record</translation>
    </message>
    <message>
        <source>调解协议书</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <source>作废记录</source>
        <translation>Void record</translation>
    </message>
    <message>
        <source>中心主任作废错误的调解记录（须填写理由）</source>
        <translation>The director voids a wrong session record (a reason is required)</translation>
    </message>
    <message>
        <source>修改整个系列</source>
        <translation>Edit the whole series</translation>
    </message>
    <message>
        <source>取消此后全部</source>
        <translation>Cancel all from here</translation>
    </message>
    <message>
        <source>修改调解室</source>
        <translation>Edit room</translation>
    </message>
    <message>
        <source>修改调解员</source>
        <translation>Edit mediator</translation>
    </message>
    <message>
        <source>添加调解室</source>
        <translation>Add room</translation>
    </message>
    <message>
        <source>添加调解员</source>
        <translation>Add mediator</translation>
    </message>
    <message>
        <source>通知书地址电话</source>
        <translation>Notice address and phone</translation>
    </message>
    <message>
        <source>已回访</source>
        <translation>Called back</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Reminders</translation>
    </message>
    <message>
        <source>待回访</source>
        <translation>To call back</translation>
    </message>
    <message>
        <source>待处理</source>
        <translation>To settle</translation>
    </message>
    <message>
        <source>yyyy年MM月dd日 dddd</source>
        <translation>dddd d MMMM yyyy</translation>
    </message>
    <message>
        <source>yyyy年MM月dd日</source>
        <translation>d MMMM yyyy</translation>
    </message>
    <message>
        <source>MM月dd日</source>
        <translation>d MMMM</translation>
    </message>
    <message>
        <source>待处理（%1）</source>
        <translation>To settle (%1)</translation>
    </message>
    <message>
        <source>%1至%2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <source>提醒 %1（%2）</source>
        <translation>Reminders %1 (%2)</translation>
    </message>
    <message>
        <source>过期未到，请电话回访：%1 %2 %3</source>
        <translation>No-show, please phone: %1 %2 %3</translation>
    </message>
    <message>
        <source>已保存：%1 %2</source>
        <translation>Saved: %1 %2</translation>
    </message>
    <message>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <source>取消预约“%1”（%2）？</source>
        <translation>Cancel booking “%1” (%2)?</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>取消“%1”%2起的全部预约？</source>
        <translation>Cancel every booking of “%1” from %2?</translation>
    </message>
    <message>
        <source>已取消%1次预约</source>
        <translation>%1 bookings cancelled</translation>
    </message>
    <message>
        <source>每周预约已保存：%1次</source>
        <translation>Weekly booking saved: %1 times</translation>
    </message>
    <message>
        <source>单独调整过的%1次保持不变</source>
        <translation>%1 individually changed ones stay as they are</translation>
    </message>
    <message>
        <source>未预约：</source>
        <translation>Not booked: </translation>
    </message>
    <message>
        <source>已修改：%1</source>
        <translation>Changed: %1</translation>
    </message>
    <message>
        <source>已添加：%1</source>
        <translation>Added: %1</translation>
    </message>
    <message>
        <source>新的开放规则下有%1个预约不能进行，请改期或取消并电话通知当事人：</source>
        <translation>%1 bookings cannot take place under the new rule; move or cancel them and phone the parties:</translation>
    </message>
    <message>
        <source>调整开放规则</source>
        <translation>Change opening rule</translation>
    </message>
    <message>
        <source>可在“待处理”中逐个改期或取消。</source>
        <translation>Move or cancel them one by one under “To settle”.</translation>
    </message>
    <message>
        <source>取消预约“%1”（%2 %3）？取消后请电话通知：%4</source>
        <translation>Cancel booking “%1” (%2 %3)? Then phone: %4</translation>
    </message>
    <message>
        <source>通知书地址电话已保存</source>
        <translation>Notice address and phone saved</translation>
    </message>
</context>
<context>
    <name>SeriesDialog</name>
    <message>
        <source>修改整个系列</source>
        <translation>Edit the whole series</translation>
    </message>
    <message>
        <source>%1（%2人）</source>
        <translation>%1 (%2 people)</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>每周</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>重复至</source>
        <translation>Repeat until</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>单独调整或取消过的日期（例外）保持不变；已过去的日期不改。</source>
        <translation>Dates changed or cancelled one by one (exceptions) stay; past dates are not changed.</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>更正调解记录</source>
        <translation>Correct session record</translation>
    </message>
    <message>
        <source>调解记录</source>
        <translation>Session record</translation>
    </message>
    <message>
        <source>请选择调解结果</source>
        <translation>Choose the mediation result</translation>
    </message>
    <message>
        <source>更正的理由（记入更正记录）</source>
        <translation>Reason for the correction (kept with it)</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>主持调解员</source>
        <translation>Presiding mediator</translation>
    </message>
    <message>
        <source>参与调解员</source>
        <translation>Other mediators</translation>
    </message>
    <message>
        <source>记录人</source>
        <translation>Recorder</translation>
    </message>
    <message>
        <source>参加人员</source>
        <translation>Present</translation>
    </message>
    <message>
        <source>调解方式</source>
        <translation>Form of mediation</translation>
    </message>
    <message>
        <source>调解过程</source>
        <translation>Proceedings</translation>
    </message>
    <message>
        <source>调解结果</source>
        <translation>Mediation result</translation>
    </message>
    <message>
        <source>下次调解时间</source>
        <translation>Next session</translation>
    </message>
    <message>
        <source>更正理由</source>
        <translation>Reason for correction</translation>
    </message>
    <message>
        <source>请填写更正理由</source>
        <translation>Enter the reason for the correction</translation>
    </message>
</context>
<context>
    <name>SessionFlow</name>
    <message>
        <source>作废调解记录</source>
        <translation>Void session record</translation>
    </message>
    <message>
        <source>调解记录已更正（第%1次）</source>
        <translation>Session record corrected (session %1)</translation>
    </message>
    <message>
        <source>调解记录已保存（第%1次）</source>
        <translation>Session record saved (session %1)</translation>
    </message>
    <message>
        <source>调解结果为“达成”。现在制作人民调解协议书吗？</source>
        <translation>The result is “agreed”. Make the mediation agreement now?</translation>
    </message>
    <message>
        <source>这次预约还没有调解记录</source>
        <translation>This booking has no session record yet</translation>
    </message>
    <message>
        <source>作废第%1次调解记录的理由：</source>
        <translation>Reason for voiding session record %1:</translation>
    </message>
    <message>
        <source>第%1次调解记录已作废</source>
        <translation>Session record %1 voided</translation>
    </message>
    <message>
        <source>调解结果为“达成”后才能制作调解协议书</source>
        <translation>An agreement can only be made once the result is “agreed”</translation>
    </message>
    <message>
        <source>口头协议已登记：%1</source>
        <translation>Oral agreement recorded: %1</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>系统管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>中心主任</source>
        <translation>Centre director</translation>
    </message>
    <message>
        <source>接待员</source>
        <translation>Receptionist</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>县级用户</source>
        <translation>County user</translation>
    </message>
    <message>
        <source>日期,类型,名称
2027-01-01,休,元旦
2027-02-06,班,调休上班</source>
        <translation>date,type,name
2027-01-01,休,New Year
2027-02-06,班,make-up working day</translation>
    </message>
    <message>
        <source>本机信息</source>
        <translation>This PC</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>本机编号</source>
        <translation>Device no.</translation>
    </message>
    <message>
        <source>数据文件</source>
        <translation>Data file</translation>
    </message>
    <message>
        <source>界面语言，切换后立即生效</source>
        <translation>Interface language; takes effect at once</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>节假日安排（办理期限按工作日计算）</source>
        <translation>Holiday schedule (deadlines count working days)</translation>
    </message>
    <message>
        <source>粘贴或导入国务院办公厅公布的放假安排，每行：日期,类型(休/班),名称</source>
        <translation>Paste or import the State Council holiday schedule, one per line: date,type(休/班),name</translation>
    </message>
    <message>
        <source>这是 %1 年完整的放假安排</source>
        <translation>This is the complete schedule for %1</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>从文件读取…</source>
        <translation>Read from file…</translation>
    </message>
    <message>
        <source>县级平台（同步）</source>
        <translation>County hub (sync)</translation>
    </message>
    <message>
        <source>县综治中心提供的 CA 证书文件（可不填）</source>
        <translation>CA certificate file from the county centre (optional)</translation>
    </message>
    <message>
        <source>县级管理员发放的设备令牌（保存在系统凭据管理器中）</source>
        <translation>Device token from the county administrator (kept in the system credential store)</translation>
    </message>
    <message>
        <source>保存连接设置</source>
        <translation>Save connection</translation>
    </message>
    <message>
        <source>平台地址</source>
        <translation>Hub address</translation>
    </message>
    <message>
        <source>CA 证书</source>
        <translation>CA certificate</translation>
    </message>
    <message>
        <source>设备令牌</source>
        <translation>Device token</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>尚未设置县级平台地址：本机数据只保存在本机</source>
        <translation>No county hub address: data stays on this PC only</translation>
    </message>
    <message>
        <source>设备令牌已保存</source>
        <translation>Device token saved</translation>
    </message>
    <message>
        <source>尚未保存设备令牌</source>
        <translation>No device token saved</translation>
    </message>
    <message>
        <source>%1 年：已内置官方安排</source>
        <translation>%1: official schedule built in</translation>
    </message>
    <message>
        <source>%1 年：已导入官方安排</source>
        <translation>%1: official schedule imported</translation>
    </message>
    <message>
        <source>%1 年：尚未导入，期限按周一至周五临时计算，导入后自动更正</source>
        <translation>%1: not imported; deadlines count Monday–Friday for now and are corrected after import</translation>
    </message>
    <message>
        <source>选择放假安排文件</source>
        <translation>Choose the holiday schedule file</translation>
    </message>
    <message>
        <source>已导入 %1 天，在办案件的期限已重新计算</source>
        <translation>%1 days imported; open cases’ deadlines recomputed</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>快捷键一览</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>菜单</source>
        <translation>Menu</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>登录 — 综治中心工作台</source>
        <translation>Sign in — Governance Centre Workbench</translation>
    </message>
    <message>
        <source>请输入用户名和密码</source>
        <translation>Enter your user name and password</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>演示数据：用户 %1，密码均为 %2</source>
        <translation>Demo data: users %1, password %2 for all</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写用户名</source>
        <translation>Enter the user name</translation>
    </message>
    <message>
        <source>请填写密码</source>
        <translation>Enter the password</translation>
    </message>
    <message>
        <source>登录失败，请重试</source>
        <translation>Sign-in failed; try again</translation>
    </message>
</context>
<context>
    <name>SlipPrintFlow</name>
    <message>
        <source>已取消打印：文书仍为已签发状态，可随时在文书台账中打印。</source>
        <translation>Printing cancelled: the document stays issued and can be printed any time from the documents list.</translation>
    </message>
    <message>
        <source>未找到打印机</source>
        <translation>No printer found</translation>
    </message>
    <message>
        <source>未找到打印机：文书仍为已签发状态。</source>
        <translation>No printer found: the document stays issued.</translation>
    </message>
    <message>
        <source>打印失败</source>
        <translation>Printing failed</translation>
    </message>
    <message>
        <source>已取消打印</source>
        <translation>Printing cancelled</translation>
    </message>
    <message>
        <source>本机没有能显示以下字符的字体：%1
这些字将以编码代替打印。仍要打印吗？</source>
        <translation>No font on this PC shows these characters: %1
They will print as codes. Print anyway?</translation>
    </message>
    <message>
        <source>缺少字体</source>
        <translation>Missing font</translation>
    </message>
    <message>
        <source>本机没有可用的打印机。文书已签发，可另存为PDF，或在文书台账中稍后打印。</source>
        <translation>This PC has no printer. The document is issued: save it as PDF, or print it later from the documents list.</translation>
    </message>
    <message>
        <source>打印失败，请检查打印机后重试。</source>
        <translation>Printing failed; check the printer and try again.</translation>
    </message>
    <message>
        <source>打印失败：文书仍为已签发状态，可稍后重试。</source>
        <translation>Printing failed: the document stays issued; try again later.</translation>
    </message>
    <message>
        <source>已打印 %1 份文书</source>
        <translation>%1 documents printed</translation>
    </message>
    <message>
        <source>（其中补打 %1 份）</source>
        <translation> (%1 of them reprints)</translation>
    </message>
    <message>
        <source>无法打印</source>
        <translation>Cannot print</translation>
    </message>
</context>
<context>
    <name>SlipTableModel</name>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Object</translation>
    </message>
    <message>
        <source>签发时间</source>
        <translation>Issued at</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>作废理由：</source>
        <translation>Reason for voiding: </translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>已签发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>未打印</source>
        <translation>Not printed</translation>
    </message>
</context>
<context>
    <name>SlipsView</name>
    <message>
        <source>文书编号、案件编号或对象</source>
        <translation>Document no., case no. or addressee</translation>
    </message>
    <message>
        <source>全部文书</source>
        <translation>All documents</translation>
    </message>
    <message>
        <source>含已作废</source>
        <translation>Include voided</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>今日签发</source>
        <translation>Issued today</translation>
    </message>
    <message>
        <source>种类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>签发日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>批量打印所列文书</source>
        <translation>Print all listed</translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>作废…</source>
        <translation>Void…</translation>
    </message>
    <message>
        <source>打印水印（打印人和时间）</source>
        <translation>Watermark (who printed, when)</translation>
    </message>
    <message>
        <source>共 %1 份文书</source>
        <translation>%1 documents</translation>
    </message>
    <message>
        <source>与签发时的原件一致（SHA-256 %1…）</source>
        <translation>Identical to the original as issued (SHA-256 %1…)</translation>
    </message>
    <message>
        <source>已作废：%1</source>
        <translation>Voided: %1</translation>
    </message>
    <message>
        <source>内容与签发时一致；本机字体或版式与签发时不同，版面可能略有差异</source>
        <translation>Same content as issued; this PC’s fonts or layout differ, so the page may look slightly different</translation>
    </message>
    <message>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>将打印所列的 %1 份文书（已作废的除外），继续吗？</source>
        <translation>Print the %1 listed documents (voided ones excepted)?</translation>
    </message>
    <message>
        <source>批量打印</source>
        <translation>Print all</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Saving failed</translation>
    </message>
    <message>
        <source>无法保存：%1</source>
        <translation>Cannot save: %1</translation>
    </message>
    <message>
        <source>已保存：%1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>作废文书</source>
        <translation>Void document</translation>
    </message>
    <message>
        <source>作废 %1 的理由（编号保留，不再使用）：</source>
        <translation>Reason for voiding %1 (the number is kept, never reused):</translation>
    </message>
    <message>
        <source>请填写作废理由</source>
        <translation>Enter the reason for voiding</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>最近成功同步</source>
        <translation>Last successful sync</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>To upload</translation>
    </message>
    <message>
        <source>待裁决冲突</source>
        <translation>Conflicts to settle</translation>
    </message>
    <message>
        <source>已隔离</source>
        <translation>Quarantined</translation>
    </message>
    <message>
        <source>暂存</source>
        <translation>Parked</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>完全重新同步</source>
        <translation>Full resync</translation>
    </message>
    <message>
        <source>先上传全部本机数据，再从县级平台重新下载；不会丢弃未上传的数据</source>
        <translation>Uploads everything on this PC, then downloads again from the hub; nothing not yet uploaded is lost</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>重新排队上传</source>
        <translation>Queue again</translation>
    </message>
    <message>
        <source>确认现行值</source>
        <translation>Keep current value</translation>
    </message>
    <message>
        <source>改用另一值</source>
        <translation>Use the other value</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>同步正常</source>
        <translation>Sync OK</translation>
    </message>
    <message>
        <source>县级平台暂时无法连接，稍后自动重试</source>
        <translation>County hub unreachable; retrying automatically</translation>
    </message>
    <message>
        <source>同步被拒绝，需要处理</source>
        <translation>Sync refused; needs attention</translation>
    </message>
    <message>
        <source>县级平台持续出错，请联系县级管理员</source>
        <translation>The county hub keeps failing; contact the county administrator</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>未配置县级平台</source>
        <translation>No county hub set up</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>Never</translation>
    </message>
    <message>
        <source>本机数据照常保存。要与县里同步，请在“设置 → 县级平台连接”中填写平台地址和设备令牌（向县级平台管理员索取），保存后即自动同步。</source>
        <translation>Data on this PC is saved as usual. To sync with the county, enter the hub address and device token (from the county hub administrator) in Settings → County hub; syncing starts once saved.</translation>
    </message>
    <message>
        <source>本机时钟与县级平台相差约%1分钟，请校准时间</source>
        <translation>This PC’s clock differs from the hub by about %1 minutes; please set the time</translation>
    </message>
    <message>
        <source>同步出错：%1</source>
        <translation>Sync error: %1</translation>
    </message>
    <message>
        <source>将先上传本机全部待同步数据，再从县级平台重新下载本乡镇的全部数据。
不会删除本机任何数据。是否继续？</source>
        <translation>Everything waiting on this PC is uploaded first, then all of this township’s data is downloaded again.
Nothing on this PC is deleted. Continue?</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>记录编号</source>
        <translation>Record no.</translation>
    </message>
    <message>
        <source>县级平台答复</source>
        <translation>Hub reply</translation>
    </message>
    <message>
        <source>案件流转：%1</source>
        <translation>Case step: %1</translation>
    </message>
    <message>
        <source>发现时间</source>
        <translation>Found at</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>现行值</source>
        <translation>Current value</translation>
    </message>
    <message>
        <source>另一值</source>
        <translation>Other value</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>修改用户</source>
        <translation>Edit user</translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>初始密码</source>
        <translation>Initial password</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>本机未设密码</source>
        <translation>No password on this PC</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>当前用户（%1，%2）无权%3</source>
        <translation>The current user (%1, %2) may not: %3</translation>
    </message>
    <message>
        <source>用户管理（系统管理员）</source>
        <translation>Users (administrator)</translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>重设密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>无操作自动锁屏（分钟，0 为不锁）</source>
        <translation>Lock after idle minutes (0: never)</translation>
    </message>
    <message>
        <source>修改用户、重设密码和解锁均记入审计日志；密码只保存在本机。</source>
        <translation>User changes, password resets and unlocks go in the audit log; passwords stay on this PC.</translation>
    </message>
    <message>
        <source>请先选择一个用户</source>
        <translation>Choose a user first</translation>
    </message>
    <message>
        <source>%1 的新密码（至少8位，含字母和数字）</source>
        <translation>New password for %1 (8+ characters, letters and digits)</translation>
    </message>
</context>
<context>
    <name>WalkInForm</name>
    <message>
        <source>来访信息</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>来访方式(&amp;W)</source>
        <translation>Channel (&amp;W)</translation>
    </message>
    <message>
        <source>来访人数(&amp;R)</source>
        <translation>People (&amp;R)</translation>
    </message>
    <message>
        <source>5人及以上，将标记为集体访</source>
        <translation>5 or more: marked as a group visit</translation>
    </message>
    <message>
        <source>来访人</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <source>姓名(&amp;N)</source>
        <translation>Name (&amp;N)</translation>
    </message>
    <message>
        <source>证件类型</source>
        <translation>ID type</translation>
    </message>
    <message>
        <source>证件号码(&amp;I)</source>
        <translation>ID number (&amp;I)</translation>
    </message>
    <message>
        <source>联系电话(&amp;P)</source>
        <translation>Phone (&amp;P)</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>对方当事人</source>
        <translation>Other party</translation>
    </message>
    <message>
        <source>姓名(&amp;O)</source>
        <translation>Name (&amp;O)</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>其他当事人（代表、第三人、更多被申请人）</source>
        <translation>More parties (representatives, third parties, further respondents)</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>同来</source>
        <translation>Came too</translation>
    </message>
    <message>
        <source>添加当事人 (Ctrl+N)</source>
        <translation>Add party (Ctrl+N)</translation>
    </message>
    <message>
        <source>删除所选 (Ctrl+D)</source>
        <translation>Remove selected (Ctrl+D)</translation>
    </message>
    <message>
        <source>诉求与研判</source>
        <translation>Request and assessment</translation>
    </message>
    <message>
        <source>简述诉求或纠纷经过（Tab 键进入下一项）</source>
        <translation>Describe the request or dispute (Tab moves on)</translation>
    </message>
    <message>
        <source>诉求简述(&amp;S)</source>
        <translation>Request (&amp;S)</translation>
    </message>
    <message>
        <source>输入类别名称、拼音首字母或代码，如 ll、宅基地</source>
        <translation>Type a category name, pinyin initials or code, e.g. ll</translation>
    </message>
    <message>
        <source>纠纷类别(&amp;C)</source>
        <translation>Category (&amp;C)</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>所属村(社区)(&amp;V)</source>
        <translation>Village (&amp;V)</translation>
    </message>
    <message>
        <source>事发地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>涉及金额(元)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>风险颜色(&amp;K)</source>
        <translation>Risk colour (&amp;K)</translation>
    </message>
    <message>
        <source>定色依据</source>
        <translation>Basis for the colour</translation>
    </message>
    <message>
        <source>办理层级</source>
        <translation>Handling level</translation>
    </message>
    <message>
        <source>处理方式(&amp;D)</source>
        <translation>Disposal (&amp;D)</translation>
    </message>
    <message>
        <source>答复内容</source>
        <translation>Answer given</translation>
    </message>
    <message>
        <source>这是%1号码</source>
        <translation>This is a %1 number</translation>
    </message>
    <message>
        <source>改为%1</source>
        <translation>Change to %1</translation>
    </message>
    <message>
        <source>已登记 %1，不填则沿用</source>
        <translation>On file: %1 (leave empty to keep)</translation>
    </message>
    <message>
        <source>涉及金额格式不正确</source>
        <translation>The amount is not a number</translation>
    </message>
    <message>
        <source>第%1行：</source>
        <translation>Line %1: </translation>
    </message>
</context>
<context>
    <name>_Dialog</name>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>（外聘）</source>
        <translation> (external)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>正在生成演示数据…</source>
        <translation>Making the demo data…</translation>
    </message>
    <message>
        <source>数据密钥</source>
        <translation>Data key</translation>
    </message>
    <message>
        <source>正在从备份恢复数据库：先检查备份，再替换…</source>
        <translation>Restoring the database from a backup: checking the backup, then replacing…</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
</context>
<context>
    <name>commands</name>
    <message>
        <source>用户手册位于程序目录下的 docs 文件夹（用户手册.md）。</source>
        <translation>The user guide is in the docs folder beside the program (用户手册.md).</translation>
    </message>
    <message>
        <source>用户手册</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>综治中心工作台 %1</source>
        <translation>Governance Centre Workbench %1</translation>
    </message>
    <message>
        <source>当前用户无权从备份恢复数据</source>
        <translation>The current user may not restore data from a backup</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>角色权限文件有误：{detail}</source>
        <translation>The roles and permissions file is invalid: {detail}</translation>
    </message>
    <message>
        <source>policy 应为对象</source>
        <translation>“policy” should be an object</translation>
    </message>
    <message>
        <source>缺少 permissions</source>
        <translation>“permissions” is missing</translation>
    </message>
    <message>
        <source>角色为空或重复</source>
        <translation>A role is empty or repeated</translation>
    </message>
    <message>
        <source>未知角色：{code}</source>
        <translation>Unknown role: {code}</translation>
    </message>
    <message>
        <source>缺少操作权限 {names}</source>
        <translation>Permissions missing: {names}</translation>
    </message>
    <message>
        <source>roles 的每一项应有 code、label、permissions</source>
        <translation>Each entry of “roles” needs code, label and permissions</translation>
    </message>
    <message>
        <source>{key} 应为1至1440的整数</source>
        <translation>{key} should be a whole number from 1 to 1440</translation>
    </message>
    <message>
        <source>角色 {role} 含未定义的权限 {permission}</source>
        <translation>Role {role} has an undefined permission {permission}</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>连续输错密码次数过多，账号已锁定至{until}，请稍后再试或请系统管理员解锁</source>
        <translation>Too many wrong passwords: the account is locked until {until}. Try again later or ask the system administrator to unlock it</translation>
    </message>
    <message>
        <source>该用户尚未在本机设置密码，请系统管理员重设密码</source>
        <translation>This user has no password on this PC yet: ask the system administrator to reset it</translation>
    </message>
    <message>
        <source>连续{count}次输错密码，账号已锁定{minutes}分钟</source>
        <translation>{count} wrong passwords in a row: the account is locked for {minutes} minutes</translation>
    </message>
    <message>
        <source>新密码不能超过128位</source>
        <translation>The new password may have at most 128 characters</translation>
    </message>
    <message>
        <source>新密码须同时包含字母和数字</source>
        <translation>The new password must contain both letters and digits</translation>
    </message>
    <message>
        <source>请先登录</source>
        <translation>Please sign in first</translation>
    </message>
    <message>
        <source>找不到该用户</source>
        <translation>User not found</translation>
    </message>
    <message>
        <source>用户名只能用字母、数字、点和下划线</source>
        <translation>A user name may only use letters, digits, dots and underscores</translation>
    </message>
    <message>
        <source>不能停用自己或更改自己的角色</source>
        <translation>You cannot deactivate yourself or change your own role</translation>
    </message>
    <message>
        <source>用户名或密码错误</source>
        <translation>Wrong user name or password</translation>
    </message>
    <message>
        <source>用户名或密码错误（再错{left}次将锁定账号）</source>
        <translation>Wrong user name or password ({left} more wrong attempts will lock the account)</translation>
    </message>
    <message>
        <source>原密码不正确</source>
        <translation>The current password is wrong</translation>
    </message>
    <message>
        <source>新密码至少{least}位</source>
        <translation>The new password needs at least {least} characters</translation>
    </message>
    <message>
        <source>用户名“{name}”已被使用</source>
        <translation>The user name “{name}” is already taken</translation>
    </message>
    <message>
        <source>找不到这个备份文件，请重新选择</source>
        <translation>This backup file was not found: please choose again</translation>
    </message>
    <message>
        <source>找不到要恢复的备份文件（已被移走或删除）</source>
        <translation>The backup file to restore was not found (moved or deleted)</translation>
    </message>
    <message>
        <source>备份文件在检查之后被改动过，为安全起见未恢复</source>
        <translation>The backup file was changed after it was checked: for safety nothing was restored</translation>
    </message>
    <message>
        <source>工作台正在使用这个数据库：请先关闭本机所有工作台窗口，再恢复</source>
        <translation>The workbench is using this database: close every workbench window on this PC first, then restore</translation>
    </message>
    <message>
        <source>备份的数据结构版本“{schema}”不是本程序认识的版本</source>
        <translation>The backup&apos;s data structure version “{schema}” is not one this program knows</translation>
    </message>
    <message>
        <source>数据库文件已损坏（完整性检查未通过）</source>
        <translation>The database file is damaged (integrity check failed)</translation>
    </message>
    <message>
        <source>不是可用的备份文件：无法作为本程序的数据库打开</source>
        <translation>Not a usable backup: it cannot be opened as this program&apos;s database</translation>
    </message>
    <message>
        <source>请通过接待登记登记新案件</source>
        <translation>Register new cases through Reception</translation>
    </message>
    <message>
        <source>未知操作：{action}</source>
        <translation>Unknown action: {action}</translation>
    </message>
    <message>
        <source>案件记录不完整，请同步后重试</source>
        <translation>The case record is incomplete: synchronise and try again</translation>
    </message>
    <message>
        <source>找不到该案件，可能已被删除或尚未同步</source>
        <translation>Case not found: it may have been deleted or not yet synchronised</translation>
    </message>
    <message>
        <source>请选择承办单位</source>
        <translation>Choose the handling unit</translation>
    </message>
    <message>
        <source>协办单位应从组织机构中选择</source>
        <translation>Choose co-handling units from the organisation list</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>协办单位不存在，请重新选择</source>
        <translation>The co-handling unit does not exist: choose again</translation>
    </message>
    <message>
        <source>协办单位不能是承办单位本身</source>
        <translation>A co-handling unit cannot be the handling unit itself</translation>
    </message>
    <message>
        <source>导入的内容中没有 {years} 年的日期，不能标记为该年完整的安排</source>
        <translation>The imported text has no dates of {years}: it cannot be marked as that year&apos;s complete schedule</translation>
    </message>
    <message>
        <source>找不到编号为“{code}”的案件</source>
        <translation>No case numbered “{code}”</translation>
    </message>
    <message>
        <source>日期超出{low}—{high}年的范围：{date}</source>
        <translation>The date is outside the years {low}–{high}: {date}</translation>
    </message>
    <message>
        <source>没有读到任何日期</source>
        <translation>No dates were read</translation>
    </message>
    <message>
        <source>第{line}行日期无法识别：{text}</source>
        <translation>Line {line}: date not recognised: {text}</translation>
    </message>
    <message>
        <source>第{line}行类型应为“休”或“班”</source>
        <translation>Line {line}: the type should be “休” (day off) or “班” (working day)</translation>
    </message>
    <message>
        <source>该号码是{real}号码，证件类型却选了“{chosen}”，请把证件类型改为“{real}”</source>
        <translation>This is a {real} number but the document type chosen is “{chosen}”: change the document type to “{real}”</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期早于1900年，请核对</source>
        <translation>The birth date in the ID number is before 1900: please check</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期晚于今天，请核对</source>
        <translation>The birth date in the ID number is after today: please check</translation>
    </message>
    <message>
        <source>未填写身份证号码</source>
        <translation>No ID number entered</translation>
    </message>
    <message>
        <source>外国人永久居留身份证号码应为18位（9开头），或旧版的3位字母加12位数字</source>
        <translation>A foreigner&apos;s permanent residence ID has 18 digits (starting with 9), or in the old version 3 letters and 12 digits</translation>
    </message>
    <message>
        <source>未填写电话号码</source>
        <translation>No phone number entered</translation>
    </message>
    <message>
        <source>分机号的写法不正确，请写成“区号-号码-分机号”</source>
        <translation>The extension is written wrongly: write “area code-number-extension”</translation>
    </message>
    <message>
        <source>电话号码只能包含数字，以及空格、短横线或括号</source>
        <translation>A phone number may only contain digits, spaces, hyphens or brackets</translation>
    </message>
    <message>
        <source>只支持中国大陆电话号码，国家代码应为+86</source>
        <translation>Only mainland China phone numbers are supported: the country code should be +86</translation>
    </message>
    <message>
        <source>不能填写110、12345等短号码，请填写11位手机号码或带区号的固定电话</source>
        <translation>Short numbers such as 110 or 12345 cannot be used: enter an 11-digit mobile number or a landline with area code</translation>
    </message>
    <message>
        <source>手机号码应为11位数字，以13至19开头</source>
        <translation>A mobile number has 11 digits starting with 13 to 19</translation>
    </message>
    <message>
        <source>固定电话格式不正确，应为区号加7至8位号码，例如“0931-8123456”</source>
        <translation>The landline number is malformed: area code plus 7 or 8 digits, e.g. “0931-8123456”</translation>
    </message>
    <message>
        <source>分机号重复，请只保留一个分机号</source>
        <translation>The extension is given twice: keep only one</translation>
    </message>
    <message>
        <source>姓名不能包含数字</source>
        <translation>A name cannot contain digits</translation>
    </message>
    <message>
        <source>未填写姓名</source>
        <translation>No name entered</translation>
    </message>
    <message>
        <source>乡镇代码须为12位数字（统计用区划代码）</source>
        <translation>The township code must be 12 digits (statistical division code)</translation>
    </message>
    <message>
        <source>该代码不是乡镇（街道）级区划代码</source>
        <translation>This code is not a township (sub-district) level division code</translation>
    </message>
    <message>
        <source>身份证号码前两位“{code}”不是已知的省级行政区划代码，请核对</source>
        <translation>The first two digits of the ID number “{code}” are not a known province code: please check</translation>
    </message>
    <message>
        <source>手机号码不能带分机号</source>
        <translation>A mobile number cannot have an extension</translation>
    </message>
    <message>
        <source>400、800号码不能带分机号</source>
        <translation>400 and 800 numbers cannot have an extension</translation>
    </message>
    <message>
        <source>姓名包含不可见的控制字符（{code}），请重新输入</source>
        <translation>The name contains an invisible control character ({code}): please type it again</translation>
    </message>
    <message>
        <source>间隔号“·”只能用在姓名的两部分之间</source>
        <translation>The middle dot “·” may only stand between two parts of a name</translation>
    </message>
    <message>
        <source>姓名不能超过{limit}个字，现在是{count}个</source>
        <translation>A name may have at most {limit} characters; it has {count}</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期“{digits}”不是有效日期</source>
        <translation>The birth date “{digits}” in the ID number is not a valid date</translation>
    </message>
    <message>
        <source>身份证号码只能由数字组成，18位号码的最后一位可以是X</source>
        <translation>An ID number consists of digits only; the last of 18 may be X</translation>
    </message>
    <message>
        <source>身份证号码应为18位（或15位旧号码），现在是{count}位</source>
        <translation>An ID number has 18 digits (or 15 for an old number); this one has {count}</translation>
    </message>
    <message>
        <source>身份证号码校验位不正确，请核对最后一位</source>
        <translation>The ID number&apos;s check digit is wrong: please check the last digit</translation>
    </message>
    <message>
        <source>姓名不能包含表情符号或其他符号</source>
        <translation>A name cannot contain emoji or other symbols</translation>
    </message>
    <message>
        <source>姓名中的空格只能用于分隔外文单词</source>
        <translation>Spaces in a name may only separate words of a foreign name</translation>
    </message>
    <message>
        <source>姓名各部分之间请使用间隔号“·”，不要使用句点</source>
        <translation>Separate the parts of a name with the middle dot “·”, not a full stop</translation>
    </message>
    <message>
        <source>姓名包含不支持的字符“{char}”，只能使用汉字、外文字母和间隔号“·”</source>
        <translation>The name contains an unsupported character “{char}”: only Chinese characters, Latin letters and the middle dot “·” are allowed</translation>
    </message>
    <message>
        <source>含有无法识别的控制字符（第{position}个字符）</source>
        <translation>contains an unrecognised control character (character {position})</translation>
    </message>
    <message>
        <source>含有无效的字符编码（第{position}个字符）</source>
        <translation>contains an invalid character encoding (character {position})</translation>
    </message>
    <message>
        <source>请填写{label}</source>
        <translation>Please fill in: {label}</translation>
    </message>
    <message>
        <source>{label}{problem}</source>
        <translation>{label} {problem}</translation>
    </message>
    <message>
        <source>{label}不能超过{limit}字（现有{count}字）</source>
        <translation>{label}: at most {limit} characters (now {count})</translation>
    </message>
    <message>
        <source>{years} 年节假日安排尚未导入，期限按周一至周五临时计算，导入后将自动更正</source>
        <translation>The holiday schedule of {years} is not imported yet: deadlines are counted provisionally on Monday to Friday and corrected once it is imported</translation>
    </message>
    <message>
        <source>办理期限不能为负数</source>
        <translation>The handling time limit cannot be negative</translation>
    </message>
    <message>
        <source>延期天数不能为负数</source>
        <translation>The extension days cannot be negative</translation>
    </message>
    <message>
        <source>提醒比例须满足 0≤提醒≤黄线≤1</source>
        <translation>Reminder ratios must satisfy 0 ≤ reminder ≤ yellow line ≤ 1</translation>
    </message>
    <message>
        <source>工作日天数不能为负数</source>
        <translation>The number of working days cannot be negative</translation>
    </message>
    <message>
        <source>未知的期限单位：{unit}</source>
        <translation>Unknown time limit unit: {unit}</translation>
    </message>
    <message>
        <source>暂停结束时间不能早于开始时间</source>
        <translation>A pause cannot end before it starts</translation>
    </message>
    <message>
        <source>县级案件已是最高层级，不能继续上报</source>
        <translation>A county case is at the highest level and cannot be escalated further</translation>
    </message>
    <message>
        <source>案件没有人工督办，无需取消</source>
        <translation>The case is not under manual supervision: nothing to cancel</translation>
    </message>
    <message>
        <source>计时未暂停，无需恢复</source>
        <translation>The clock is not paused: nothing to resume</translation>
    </message>
    <message>
        <source>计时已暂停</source>
        <translation>The clock is already paused</translation>
    </message>
    <message>
        <source>请选择同意或不同意</source>
        <translation>Choose approve or reject</translation>
    </message>
    <message>
        <source>该单位不是本案的协办单位</source>
        <translation>This unit is not a co-handling unit of the case</translation>
    </message>
    <message>
        <source>办结类型与案件当前状态不符</source>
        <translation>The closure type does not fit the case&apos;s current state</translation>
    </message>
    <message>
        <source>未经评价办结须说明理由</source>
        <translation>Closing without an evaluation needs a reason</translation>
    </message>
    <message>
        <source>{field}取值无效</source>
        <translation>{field}: invalid value</translation>
    </message>
    <message>
        <source>案件尚未登记，只能先登记</source>
        <translation>The case is not registered yet: register it first</translation>
    </message>
    <message>
        <source>案件已登记，不能重复登记</source>
        <translation>The case is already registered and cannot be registered again</translation>
    </message>
    <message>
        <source>黄色及以上风险须填写定色依据</source>
        <translation>Yellow or higher risk needs the grounds for the colour</translation>
    </message>
    <message>
        <source>延期天数须为1至60之间的整数</source>
        <translation>Extension days must be a whole number from 1 to 60</translation>
    </message>
    <message>
        <source>不同意延期须填写意见</source>
        <translation>Rejecting an extension needs an opinion</translation>
    </message>
    <message>
        <source>{unit}已签收</source>
        <translation>{unit} has already signed for it</translation>
    </message>
    <message>
        <source>{unit}尚未签收，不能反馈</source>
        <translation>{unit} has not signed for it yet and cannot give feedback</translation>
    </message>
    <message>
        <source>{unit}已反馈</source>
        <translation>{unit} has already given feedback</translation>
    </message>
    <message>
        <source>案件当前状态为“{state}”，不能执行“{action}”操作</source>
        <translation>The case is now “{state}”: “{action}” is not allowed</translation>
    </message>
    <message>
        <source>{reason}，未计入，期限按规则计算</source>
        <translation>{reason}: not counted, the deadline follows the rule</translation>
    </message>
    <message>
        <source>本机没有可用的系统凭据库（Windows 凭据管理器），无法保存或读取个人信息的数据密钥；请在 Windows 上运行，或联系系统管理员。</source>
        <translation>This PC has no usable system credential store (Windows Credential Manager), so the data key for personal data cannot be saved or read. Run on Windows, or contact the system administrator.</translation>
    </message>
    <message>
        <source>系统凭据库中的数据密钥已损坏：请用密钥恢复文件恢复</source>
        <translation>The data key in the system credential store is damaged: restore it from the key recovery file</translation>
    </message>
    <message>
        <source>恢复口令至少{least}个字符</source>
        <translation>The recovery passphrase needs at least {least} characters</translation>
    </message>
    <message>
        <source>恢复口令不正确</source>
        <translation>Wrong recovery passphrase</translation>
    </message>
    <message>
        <source>不是有效的密钥恢复文件：{name}</source>
        <translation>Not a valid key recovery file: {name}</translation>
    </message>
    <message>
        <source>不能停用当前使用中的数据密钥</source>
        <translation>The data key in use cannot be retired</translation>
    </message>
    <message>
        <source>仍有人员信息使用此密钥，请先执行密钥轮换</source>
        <translation>Personal data still uses this key: rotate the keys first</translation>
    </message>
    <message>
        <source>证件号码{number}对应{encoded}，而人员“{name}”登记的是{stored}，请核对证件号码</source>
        <translation>ID number {number} encodes {encoded}, but “{name}” is registered with {stored}: please check the ID number</translation>
    </message>
    <message>
        <source>已将“{old}”更名为“{new}”（原因：{reason}），原姓名已记录</source>
        <translation>“{old}” renamed to “{new}” (reason: {reason}); the former name is kept</translation>
    </message>
    <message>
        <source>证件号码{number}已登记在“{name}”名下，本次填写的姓名是“{typed}”。请修改号码；如确系同一人更名，请确认更名并填写原因</source>
        <translation>ID number {number} is registered to “{name}”, but the name typed is “{typed}”. Correct the number; if it is the same person renamed, confirm the rename and give the reason</translation>
    </message>
    <message>
        <source>所选人员登记的姓名是“{name}”，本次填写的是“{typed}”。请核对；如确系同一人更名，请确认更名并填写原因</source>
        <translation>The chosen person is registered as “{name}”, but “{typed}” was typed. Please check; if it is the same person renamed, confirm the rename and give the reason</translation>
    </message>
    <message>
        <source>证件号码{number}已登记在“{holder}”名下，与所选人员“{chosen}”不是同一人，请核对证件号码</source>
        <translation>ID number {number} is registered to “{holder}”, who is not the chosen person “{chosen}”: please check the ID number</translation>
    </message>
    <message>
        <source>所选人员“{chosen}”已登记证件号码{number}，与本次填写的{typed}不同，请核对证件号码</source>
        <translation>The chosen person “{chosen}” is registered with ID number {number}, not {typed} as typed: please check the ID number</translation>
    </message>
    <message>
        <source>出生日期{date}</source>
        <translation>birth date {date}</translation>
    </message>
    <message>
        <source>性别{sex}</source>
        <translation>sex {sex}</translation>
    </message>
    <message>
        <source>找不到所选人员：{name}</source>
        <translation>The chosen person was not found: {name}</translation>
    </message>
    <message>
        <source>“{name}”的联系电话已更新为{phone}，原号码{old}已保留</source>
        <translation>The phone of “{name}” is now {phone}; the former number {old} is kept</translation>
    </message>
    <message>
        <source>查看理由</source>
        <translation>Reason for viewing</translation>
    </message>
    <message>
        <source>只能查看证件号码或联系电话</source>
        <translation>Only the ID number or phone can be viewed</translation>
    </message>
    <message>
        <source>人员不存在</source>
        <translation>Person not found</translation>
    </message>
    <message>
        <source>证件类型无效</source>
        <translation>Invalid document type</translation>
    </message>
    <message>
        <source>当事人角色无效</source>
        <translation>Invalid party role</translation>
    </message>
    <message>
        <source>请至少填写一名来访人</source>
        <translation>Enter at least one visitor</translation>
    </message>
    <message>
        <source>事发时间不能晚于现在</source>
        <translation>The time of the incident cannot be later than now</translation>
    </message>
    <message>
        <source>当场答复须填写答复内容</source>
        <translation>An answer on the spot needs the answer&apos;s content</translation>
    </message>
    <message>
        <source>请选择来访方式</source>
        <translation>Choose how the visitor came</translation>
    </message>
    <message>
        <source>请选择处理方式</source>
        <translation>Choose the disposition</translation>
    </message>
    <message>
        <source>请选择风险颜色</source>
        <translation>Choose the risk colour</translation>
    </message>
    <message>
        <source>请选择办理层级</source>
        <translation>Choose the handling level</translation>
    </message>
    <message>
        <source>来访人数须在1至100000之间</source>
        <translation>The number of visitors must be from 1 to 100000</translation>
    </message>
    <message>
        <source>涉及人数须在1至1000000之间</source>
        <translation>The number of people involved must be from 1 to 1000000</translation>
    </message>
    <message>
        <source>要关联的案件不存在</source>
        <translation>The case to link to does not exist</translation>
    </message>
    <message>
        <source>涉及金额须为0至一万亿元之间的数</source>
        <translation>The amount involved must be a number from 0 to one trillion yuan</translation>
    </message>
    <message>
        <source>尚未设置本乡镇，请先完成初始设置</source>
        <translation>The township is not set up yet: finish the initial setup first</translation>
    </message>
    <message>
        <source>本案期限为临时计算</source>
        <translation>The deadlines of this case are provisional</translation>
    </message>
    <message>
        <source>请填写来访人联系电话</source>
        <translation>Enter the visitor&apos;s phone</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>更名原因</source>
        <translation>Reason for the name change</translation>
    </message>
    <message>
        <source>诉求简述</source>
        <translation>Summary of the request</translation>
    </message>
    <message>
        <source>详细情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>定色依据</source>
        <translation>Basis for the colour</translation>
    </message>
    <message>
        <source>答复内容</source>
        <translation>Answer given</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>事发地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>请选择纠纷类别</source>
        <translation>Choose the dispute category</translation>
    </message>
    <message>
        <source>所选村（社区）或网格不存在</source>
        <translation>The chosen village (community) or grid does not exist</translation>
    </message>
    <message>
        <source>涉及金额格式不正确</source>
        <translation>The amount is not a number</translation>
    </message>
    <message>
        <source>已作为重复来访关联到原案件</source>
        <translation>Linked to the original case as a repeat visit</translation>
    </message>
    <message>
        <source>来访{count}人，已标记为集体访</source>
        <translation>{count} visitors: marked as a group visit</translation>
    </message>
    <message>
        <source>来访人数不能少于已登记的来访人（{count}人）</source>
        <translation>The number of visitors cannot be fewer than the visitors entered ({count})</translation>
    </message>
    <message>
        <source>来访人此前来访过（{reasons}），请核对是否为同一事项</source>
        <translation>The visitor has come before ({reasons}): check whether it is the same matter</translation>
    </message>
    <message>
        <source>来访人此前来访过，请核对是否为同一事项</source>
        <translation>The visitor has come before: check whether it is the same matter</translation>
    </message>
    <message>
        <source>证件号码应为5至20位字母或数字</source>
        <translation>The document number should be 5 to 20 letters or digits</translation>
    </message>
    <message>
        <source>“classes”不能为空</source>
        <translation>“classes” cannot be empty</translation>
    </message>
    <message>
        <source>“rules”不能为空</source>
        <translation>“rules” cannot be empty</translation>
    </message>
    <message>
        <source>不是 UTF-8 编码</source>
        <translation>Not UTF-8 encoded</translation>
    </message>
    <message>
        <source>文件应包含“reports”对象</source>
        <translation>The file should contain a “reports” object</translation>
    </message>
    <message>
        <source>{date}是{holiday}假期，请确认当事人和调解员能够到场</source>
        <translation>{date} is a holiday ({holiday}): make sure the parties and mediators can come</translation>
    </message>
    <message>
        <source>预约调解</source>
        <translation>Book mediation</translation>
    </message>
    <message>
        <source>登记调解记录</source>
        <translation>record a mediation session</translation>
    </message>
    <message>
        <source>案件当前为“{state}”，本次预约不改变案件的办理环节</source>
        <translation>The case is now “{state}”: this booking does not change its step</translation>
    </message>
    <message>
        <source>该案已作废，不能{what}</source>
        <translation>The case is voided: cannot {what}</translation>
    </message>
    <message>
        <source>该案{state}，不能{what}</source>
        <translation>The case is {state}: cannot {what}</translation>
    </message>
    <message>
        <source>案件当前为“{state}”，不在调解环节，不能登记调解记录</source>
        <translation>The case is now “{state}”, not in mediation: no session record can be made</translation>
    </message>
    <message>
        <source>案件已进入“{state}”环节，不能再更改这次调解的结果</source>
        <translation>The case has moved on to “{state}”: this session&apos;s result can no longer change</translation>
    </message>
    <message>
        <source>本机所属乡镇缺少区划代码，不能编号</source>
        <translation>This PC&apos;s township has no division code: no number can be given</translation>
    </message>
    <message>
        <source>份数至少为1</source>
        <translation>At least 1 copy</translation>
    </message>
    <message>
        <source>找不到该文书</source>
        <translation>Document not found</translation>
    </message>
    <message>
        <source>{resource}“{name}”已有 {start}–{end}「{title}」</source>
        <translation>{resource} “{name}” already has {start}–{end} “{title}”</translation>
    </message>
    <message>
        <source>{prefix}时间冲突：{collisions}</source>
        <translation>{prefix}time clash: {collisions}</translation>
    </message>
    <message>
        <source>时间冲突：{collisions}</source>
        <translation>Time clash: {collisions}</translation>
    </message>
    <message>
        <source>请选择调解室</source>
        <translation>Choose a mediation room</translation>
    </message>
    <message>
        <source>参加人数（{count}人）超过调解室“{room}”的容纳人数（{capacity}人），请换大一些的调解室</source>
        <translation>{count} participants exceed the capacity of room “{room}” ({capacity}): choose a larger room</translation>
    </message>
    <message>
        <source>本次调解在案件办理期限（{due}）之后，请注意时限或申请延期</source>
        <translation>This session is after the case&apos;s deadline ({due}): mind the time limit or apply for an extension</translation>
    </message>
    <message>
        <source>调解协议不存在</source>
        <translation>Mediation agreement not found</translation>
    </message>
    <message>
        <source>预约或当事人不存在</source>
        <translation>Booking or party not found</translation>
    </message>
    <message>
        <source>请选择调解方式</source>
        <translation>Choose the mediation mode</translation>
    </message>
    <message>
        <source>请选择调解结果</source>
        <translation>Choose the mediation result</translation>
    </message>
    <message>
        <source>请选择主持调解员</source>
        <translation>Choose the presiding mediator</translation>
    </message>
    <message>
        <source>结束时间必须晚于开始时间</source>
        <translation>The end must be after the start</translation>
    </message>
    <message>
        <source>继续调解须填写下次调解时间</source>
        <translation>Continuing mediation needs the time of the next session</translation>
    </message>
    <message>
        <source>该案已达成调解协议，不能再新增调解记录</source>
        <translation>The case already has a mediation agreement: no new session records</translation>
    </message>
    <message>
        <source>预约不存在</source>
        <translation>Booking not found</translation>
    </message>
    <message>
        <source>请选择书面协议或口头协议</source>
        <translation>Choose a written or an oral agreement</translation>
    </message>
    <message>
        <source>请至少填写一条协议内容</source>
        <translation>Enter at least one term of the agreement</translation>
    </message>
    <message>
        <source>协议内容不能超过{limit}条（现有{count}条）</source>
        <translation>At most {limit} terms of agreement (now {count})</translation>
    </message>
    <message>
        <source>调解记录不存在</source>
        <translation>Session record not found</translation>
    </message>
    <message>
        <source>调解结果为“达成”后才能制作调解协议书</source>
        <translation>An agreement can only be made once the result is “agreed”</translation>
    </message>
    <message>
        <source>这次调解已经登记了调解协议</source>
        <translation>This session already has an agreement</translation>
    </message>
    <message>
        <source>调解过程不超过{limit}字</source>
        <translation>The course of mediation may have at most {limit} characters</translation>
    </message>
    <message>
        <source>这次调解{start}才开始，调解开始后才能登记调解记录</source>
        <translation>This session starts at {start}: it can be recorded only once it has started</translation>
    </message>
    <message>
        <source>本次调解晚于案件办理期限（{due}）</source>
        <translation>This session is after the case&apos;s deadline ({due})</translation>
    </message>
    <message>
        <source>中心地址</source>
        <translation>Centre address</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>不能预约已经过去的时间</source>
        <translation>A time in the past cannot be booked</translation>
    </message>
    <message>
        <source>一次预约须在同一天内结束</source>
        <translation>A booking must end on the day it starts</translation>
    </message>
    <message>
        <source>一次预约最长12小时（现为{hours}小时），请分成几次预约</source>
        <translation>A booking lasts at most 12 hours (now {hours}): split it into several bookings</translation>
    </message>
    <message>
        <source>调解室不存在或已停用，请重新选择调解室</source>
        <translation>The room does not exist or is out of use: choose another room</translation>
    </message>
    <message>
        <source>调解室“{room}”只在法定工作日开放，{date}不是工作日</source>
        <translation>Room “{room}” is open on working days only; {date} is not a working day</translation>
    </message>
    <message>
        <source>只能预约一年以内的时间（{date}太远）</source>
        <translation>Bookings are possible up to a year ahead ({date} is too far)</translation>
    </message>
    <message>
        <source>调解室“{room}”在{date}停用</source>
        <translation>Room “{room}” is closed on {date}</translation>
    </message>
    <message>
        <source>调解室“{room}”只在{days}开放</source>
        <translation>Room “{room}” is open on {days} only</translation>
    </message>
    <message>
        <source>调解室“{room}”开放时间为 {opens}–{closes}</source>
        <translation>Room “{room}” is open {opens}–{closes}</translation>
    </message>
    <message>
        <source>调解室“{room}”按整点时段预约（如 09:00–10:00）</source>
        <translation>Room “{room}” is booked in whole hours (e.g. 09:00–10:00)</translation>
    </message>
    <message>
        <source>{year}年的放假安排尚未导入，{date}可能是节假日；导入后将重新核对这次预约</source>
        <translation>The holiday schedule of {year} is not imported yet; {date} may be a holiday. This booking is checked again once it is imported</translation>
    </message>
    <message>
        <source>调解员“{name}”已停用</source>
        <translation>Mediator “{name}” is no longer active</translation>
    </message>
    <message>
        <source>调解员“{name}”只在{days}值班</source>
        <translation>Mediator “{name}” is on duty on {days} only</translation>
    </message>
    <message>
        <source>预约事由</source>
        <translation>Purpose of the booking</translation>
    </message>
    <message>
        <source>请选择星期</source>
        <translation>Choose a weekday</translation>
    </message>
    <message>
        <source>结束日期不能早于开始日期</source>
        <translation>The end date cannot be before the start date</translation>
    </message>
    <message>
        <source>周期预约最长一年</source>
        <translation>A repeating booking lasts at most a year</translation>
    </message>
    <message>
        <source>重复次数须为1至{limit}次</source>
        <translation>Repeat 1 to {limit} times</translation>
    </message>
    <message>
        <source>{year}年的放假安排尚未导入：其中{count}次（{first}起）可能是节假日，导入后将重新核对，落在假期的会列入待处理</source>
        <translation>The holiday schedule of {year} is not imported yet: {count} of them (from {first}) may fall on holidays; they are checked again once it is imported, and any on a holiday is listed under To do</translation>
    </message>
    <message>
        <source>周期预约不存在</source>
        <translation>Repeating booking not found</translation>
    </message>
    <message>
        <source>这不是周期预约中的一次</source>
        <translation>This is not part of a repeating booking</translation>
    </message>
    <message>
        <source>以下日期是法定节假日，请确认当事人和调解员能够到场：{days}</source>
        <translation>These dates are public holidays, make sure the parties and mediators can come: {days}</translation>
    </message>
    <message>
        <source>{date}：时间冲突，{what}</source>
        <translation>{date}: time clash, {what}</translation>
    </message>
    <message>
        <source>{date}：{why}</source>
        <translation>{date}: {why}</translation>
    </message>
    <message>
        <source>{date}（{holiday}）</source>
        <translation>{date} ({holiday})</translation>
    </message>
    <message>
        <source>值班星期无效</source>
        <translation>Invalid duty weekdays</translation>
    </message>
    <message>
        <source>预约不存在或已被删除</source>
        <translation>The booking does not exist or was deleted</translation>
    </message>
    <message>
        <source>请填写预约事由</source>
        <translation>Enter the purpose of the booking</translation>
    </message>
    <message>
        <source>已经过去的预约不能取消</source>
        <translation>A past booking cannot be cancelled</translation>
    </message>
    <message>
        <source>只能在预约开始前30分钟内至结束前签到使用</source>
        <translation>Check-in is possible from 30 minutes before the start until the end</translation>
    </message>
    <message>
        <source>预约时间未到，不能标记为已结束</source>
        <translation>The booking has not started yet and cannot be marked as finished</translation>
    </message>
    <message>
        <source>预约时间未到，不能标记为过期未到</source>
        <translation>The booking has not started yet and cannot be marked as a no-show</translation>
    </message>
    <message>
        <source>当事人不存在</source>
        <translation>Party not found</translation>
    </message>
    <message>
        <source>{status}的预约不能再调整时间</source>
        <translation>A booking that is {status} cannot be moved</translation>
    </message>
    <message>
        <source>预约当前为“{status}”，不能改为“{to}”</source>
        <translation>The booking is “{status}” and cannot become “{to}”</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>已作废的调解记录不能更正</source>
        <translation>A voided session record cannot be corrected</translation>
    </message>
    <message>
        <source>调解开始后才能登记调解记录</source>
        <translation>A session can be recorded only once it has started</translation>
    </message>
    <message>
        <source>这次调解已制作调解协议书，不能改为未达成</source>
        <translation>This session has an agreement document and cannot become not reached</translation>
    </message>
    <message>
        <source>这条调解记录已经作废</source>
        <translation>This session record is already voided</translation>
    </message>
    <message>
        <source>这次调解已制作调解协议书，不能作废记录</source>
        <translation>This session has an agreement document: its record cannot be voided</translation>
    </message>
    <message>
        <source>只有中心主任可以作废调解记录</source>
        <translation>Only the centre director can void a session record</translation>
    </message>
    <message>
        <source>调解员姓名</source>
        <translation>Mediator&apos;s name</translation>
    </message>
    <message>
        <source>调解室名称</source>
        <translation>Room name</translation>
    </message>
    <message>
        <source>调解室类型</source>
        <translation>Room type</translation>
    </message>
    <message>
        <source>关门时间必须晚于开门时间</source>
        <translation>Closing time must be after opening time</translation>
    </message>
    <message>
        <source>容纳人数至少为1人</source>
        <translation>Capacity must be at least 1</translation>
    </message>
    <message>
        <source>请选择开放规则</source>
        <translation>Choose the opening rule</translation>
    </message>
    <message>
        <source>“指定星期”开放时请至少选择一天</source>
        <translation>With “Chosen weekdays” choose at least one day</translation>
    </message>
    <message>
        <source>请选择预约方式</source>
        <translation>Choose the booking mode</translation>
    </message>
    <message>
        <source>开放星期无效</source>
        <translation>Invalid opening weekdays</translation>
    </message>
    <message>
        <source>调解室不存在或已停用</source>
        <translation>The room does not exist or is out of use</translation>
    </message>
    <message>
        <source>调解员不存在或已停用</source>
        <translation>The mediator does not exist or is no longer active</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>组织类型无效</source>
        <translation>Invalid organisation type</translation>
    </message>
    <message>
        <source>本机没有能显示以下字符的字体：{chars}。请安装含这些字的字体（如 SimSun-ExtB），或确认以编码代替打印。</source>
        <translation>No font on this PC can show these characters: {chars}. Install a font that has them (such as SimSun-ExtB), or confirm printing their codes instead.</translation>
    </message>
    <message>
        <source>未知的文书种类：{code}</source>
        <translation>Unknown document kind: {code}</translation>
    </message>
    <message>
        <source>{field}不存在，请重新选择</source>
        <translation>{field} does not exist: choose again</translation>
    </message>
    <message>
        <source>{field}含有无效选项</source>
        <translation>{field} has an invalid choice</translation>
    </message>
    <message>
        <source>{field}不能早于今天</source>
        <translation>{field} cannot be before today</translation>
    </message>
    <message>
        <source>{field}日期无效</source>
        <translation>{field}: invalid date</translation>
    </message>
    <message>
        <source>案件缺少“{field}”，暂不能签发</source>
        <translation>The case lacks “{field}”: the document cannot be issued yet</translation>
    </message>
    <message>
        <source>顶层应为对象</source>
        <translation>The top level should be an object</translation>
    </message>
    <message>
        <source>“fields”应为数组</source>
        <translation>“fields” should be an array</translation>
    </message>
    <message>
        <source>文书种类应为对象</source>
        <translation>A document kind should be an object</translation>
    </message>
    <message>
        <source>编号格式须含 {seq}，且只能用 {agency}{series}{year}{seq}{township}</source>
        <translation>The number format must contain {seq} and may only use {agency}{series}{year}{seq}{township}</translation>
    </message>
    <message>
        <source>机关名称格式只能用 {township}</source>
        <translation>The agency name format may only use {township}</translation>
    </message>
    <message>
        <source>“kinds”应为非空数组</source>
        <translation>“kinds” should be a non-empty array</translation>
    </message>
    <message>
        <source>文书种类代码重复</source>
        <translation>Repeated document kind code</translation>
    </message>
    <message>
        <source>覆盖文件中的文书种类须为含“code”的对象</source>
        <translation>Document kinds in the override file must be objects with “code”</translation>
    </message>
    <message>
        <source>字段须为含“name”的对象</source>
        <translation>A field must be an object with “name”</translation>
    </message>
    <message>
        <source>作废理由</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <source>案件所属乡镇缺少区划代码，不能编号</source>
        <translation>The case&apos;s township has no division code: no number can be given</translation>
    </message>
    <message>
        <source>请选择颜色等级（{grades}）</source>
        <translation>Choose the colour grade ({grades})</translation>
    </message>
    <message>
        <source>当前用户无权签发或作废“{kind}”</source>
        <translation>The current user may not issue or void “{kind}”</translation>
    </message>
    <message>
        <source>文书 {number} 已作废，不能打印</source>
        <translation>Document {number} is voided and cannot be printed</translation>
    </message>
    <message>
        <source>文书 {number} 已作废</source>
        <translation>Document {number} is already voided</translation>
    </message>
    <message>
        <source>{township}：最近同步 {at}</source>
        <translation>{township}: last synchronised {at}</translation>
    </message>
    <message>
        <source>{township}：截止时间后已同步，数据完整至截止时间</source>
        <translation>{township}: synchronised after the cut-off, data complete up to the cut-off</translation>
    </message>
    <message>
        <source>{township}：尚未与县级同步（仅含本机数据）</source>
        <translation>{township}: not yet synchronised with the county (this PC&apos;s data only)</translation>
    </message>
    <message>
        <source>报告期“{text}”格式不正确，应写作 {example}</source>
        <translation>The report period “{text}” is malformed; write it as {example}</translation>
    </message>
    <message>
        <source>报告期起止日期颠倒：{start} 晚于 {end}</source>
        <translation>The report period is reversed: {start} is after {end}</translation>
    </message>
    <message>
        <source>报告期“{period}”尚未开始（今天是{today}），不能生成未来的报告</source>
        <translation>The report period “{period}” has not started (today is {today}): no report for the future</translation>
    </message>
    <message>
        <source>日期“{text}”不存在</source>
        <translation>The date “{text}” does not exist</translation>
    </message>
    <message>
        <source>“{text}”没有这一周</source>
        <translation>“{text}” has no such week</translation>
    </message>
    <message>
        <source>找不到案件“{code}”</source>
        <translation>Case “{code}” not found</translation>
    </message>
    <message>
        <source>案件“{code}”不是红色风险事件，不需要专报</source>
        <translation>Case “{code}” is not a red-risk event and needs no special report</translation>
    </message>
    <message>
        <source>数据库正被其他程序占用，请稍后重试</source>
        <translation>The database is in use by another program: try again later</translation>
    </message>
    <message>
        <source>内部错误：写入会话缺少时钟</source>
        <translation>Internal error: the write session has no clock</translation>
    </message>
    <message>
        <source>记录不能直接删除，请使用作废操作</source>
        <translation>Records cannot be deleted: void them instead</translation>
    </message>
    <message>
        <source>本机没有打开个人信息（身份证号、电话）所需的数据密钥（编号 {key}）。这个数据库可能是从其他电脑复制来的：请系统管理员用设置时保存的密钥恢复文件导入密钥（python main.py keys recover 恢复文件），导入前证件号码和电话无法查看。</source>
        <translation>This PC lacks the data key needed to open personal data (ID numbers, phones) (key {key}). The database may have been copied from another PC: the system administrator should import the key from the recovery file saved at setup (python main.py keys recover FILE); until then ID numbers and phones cannot be viewed.</translation>
    </message>
    <message>
        <source>个人信息密文已损坏或被改动，无法解密</source>
        <translation>The encrypted personal data is damaged or altered and cannot be decrypted</translation>
    </message>
    <message>
        <source>{label}须在{low}年至{high}年之间</source>
        <translation>{label} must fall between the years {low} and {high}</translation>
    </message>
    <message>
        <source>{label}须在{low}至{high}之间</source>
        <translation>{label} must be between {low} and {high}</translation>
    </message>
    <message>
        <source>县级平台拒绝了请求（{status}）</source>
        <translation>The county hub refused the request ({status})</translation>
    </message>
    <message>
        <source>县级平台地址须以 https:// 开头</source>
        <translation>The county hub address must start with https://</translation>
    </message>
    <message>
        <source>县级平台地址须使用 https 加密连接（仅本机地址可用 http）</source>
        <translation>The county hub address must use https (http only for this PC&apos;s own address)</translation>
    </message>
    <message>
        <source>县级平台返回的内容无法识别，稍后将自动重试</source>
        <translation>The county hub&apos;s answer was not understood: it is retried automatically later</translation>
    </message>
    <message>
        <source>县级平台地址格式无效</source>
        <translation>Invalid county hub address</translation>
    </message>
    <message>
        <source>找不到CA证书文件：{path}</source>
        <translation>CA certificate file not found: {path}</translation>
    </message>
    <message>
        <source>CA证书文件无效</source>
        <translation>Invalid CA certificate file</translation>
    </message>
    <message>
        <source>连接县级平台超时，稍后将自动重试</source>
        <translation>Connecting to the county hub timed out: it is retried automatically later</translation>
    </message>
    <message>
        <source>无法连接县级平台，稍后将自动重试</source>
        <translation>Cannot reach the county hub: it is retried automatically later</translation>
    </message>
    <message>
        <source>县级平台暂时故障（{status}），稍后将自动重试</source>
        <translation>The county hub has a temporary fault ({status}): it is retried automatically later</translation>
    </message>
    <message>
        <source>县级平台的证书未通过校验，请检查设置中的CA证书</source>
        <translation>The county hub&apos;s certificate failed verification: check the CA certificate in Settings</translation>
    </message>
    <message>
        <source>该操作只能在使用县级令牌的工作台上进行</source>
        <translation>This can only be done on a workbench using a county token</translation>
    </message>
    <message>
        <source>请填写答复意见</source>
        <translation>Enter the reply</translation>
    </message>
    <message>
        <source>本机没有可用的系统凭据库（如 Windows 凭据管理器），无法安全保存设备令牌。请联系管理员开启凭据管理服务后重试。</source>
        <translation>This PC has no usable system credential store (such as Windows Credential Manager), so the device token cannot be stored safely. Ask the administrator to enable the credential service, then try again.</translation>
    </message>
    <message>
        <source>设备令牌格式无效，请按县级管理员发放的原样填写</source>
        <translation>Invalid device token: enter it exactly as the county administrator issued it</translation>
    </message>
    <message>
        <source>读取设备令牌失败：{error}</source>
        <translation>Reading the device token failed: {error}</translation>
    </message>
    <message>
        <source>保存设备令牌失败：{error}</source>
        <translation>Saving the device token failed: {error}</translation>
    </message>
    <message>
        <source>删除设备令牌失败：{error}</source>
        <translation>Deleting the device token failed: {error}</translation>
    </message>
    <message>
        <source>“{field}”的取值“{value}”不是本版本认识的业务代码</source>
        <translation>“{value}” in “{field}” is not a code this version knows</translation>
    </message>
    <message>
        <source>“{field}”须在{low}至{high}之间</source>
        <translation>“{field}” must be between {low} and {high}</translation>
    </message>
    <message>
        <source>该变更不在隔离区，可能已重新排队</source>
        <translation>This change is not in quarantine; it may have been queued again</translation>
    </message>
    <message>
        <source>冲突涉及的数据类型在本版本中不存在</source>
        <translation>The kind of data in this conflict does not exist in this version</translation>
    </message>
    <message>
        <source>尚未设置本机的设备令牌，请在“设置”中填写县级管理员发放的令牌</source>
        <translation>This PC has no device token yet: enter the token issued by the county administrator in Settings</translation>
    </message>
    <message>
        <source>同步正在进行中，请稍候</source>
        <translation>Synchronisation is running, please wait</translation>
    </message>
    <message>
        <source>（本机无数据密钥，无法显示）</source>
        <translation>(no data key on this PC: cannot be shown)</translation>
    </message>
    <message>
        <source>本机设置的乡镇代码（{local}）与县级平台为本令牌登记的乡镇（{code} {name}）不一致</source>
        <translation>This PC&apos;s township code ({local}) differs from the township the county hub registered for this token ({code} {name})</translation>
    </message>
    <message>
        <source>县级平台未返回本令牌所属乡镇</source>
        <translation>The county hub did not return the township of this token</translation>
    </message>
    <message>
        <source>找不到该冲突记录</source>
        <translation>Conflict record not found</translation>
    </message>
    <message>
        <source>该冲突已经裁决</source>
        <translation>This conflict is already settled</translation>
    </message>
    <message>
        <source>冲突涉及的记录在本机不存在</source>
        <translation>The record in this conflict does not exist on this PC</translation>
    </message>
    <message>
        <source>本机已设为乡镇工作台，不能使用县级令牌</source>
        <translation>This PC is set up as a township workbench and cannot use a county token</translation>
    </message>
    <message>
        <source>县级平台持续出错（已连续{count}次），请联系县级管理员；本机数据已保存，恢复后自动上传</source>
        <translation>The county hub keeps failing ({count} times in a row): contact the county administrator. Data on this PC is saved and uploaded once it recovers</translation>
    </message>
</context>
<context>
    <name>guard</name>
    <message>
        <source>已填写的内容尚未保存，确定放弃吗？</source>
        <translation>What you typed is not saved. Discard it?</translation>
    </message>
    <message>
        <source>放弃未保存的内容</source>
        <translation>Discard unsaved input</translation>
    </message>
    <message>
        <source>继续填写</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <source>放弃</source>
        <translation>Discard</translation>
    </message>
</context>
<context>
    <name>menus</name>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>视图</source>
        <translation>View</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>导出Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from backup…</translation>
    </message>
    <message>
        <source>切换用户…</source>
        <translation>Switch user…</translation>
    </message>
    <message>
        <source>修改密码…</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>保存登记</source>
        <translation>Save registration</translation>
    </message>
    <message>
        <source>清空表单</source>
        <translation>Clear form</translation>
    </message>
    <message>
        <source>添加当事人</source>
        <translation>Add party</translation>
    </message>
    <message>
        <source>删除所选当事人</source>
        <translation>Remove selected party</translation>
    </message>
    <message>
        <source>查找案件</source>
        <translation>Find case</translation>
    </message>
    <message>
        <source>新来访登记</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>打开刚登记的案件</source>
        <translation>Open the case just registered</translation>
    </message>
    <message>
        <source>选择匹配的人员</source>
        <translation>Choose the matching person</translation>
    </message>
    <message>
        <source>作为重复来访关联</source>
        <translation>Attach as repeat visit</translation>
    </message>
    <message>
        <source>预约调解…</source>
        <translation>Book mediation…</translation>
    </message>
    <message>
        <source>新建调解室预约…</source>
        <translation>New room booking…</translation>
    </message>
    <message>
        <source>签发文书…</source>
        <translation>Issue document…</translation>
    </message>
    <message>
        <source>打印回执</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <source>打印所选文书</source>
        <translation>Print selected document</translation>
    </message>
    <message>
        <source>批量打印所列文书</source>
        <translation>Print all listed</translation>
    </message>
    <message>
        <source>所选文书另存为PDF…</source>
        <translation>Save selected document as PDF…</translation>
    </message>
    <message>
        <source>作废所选文书…</source>
        <translation>Void selected document…</translation>
    </message>
    <message>
        <source>快捷键一览</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>用户手册</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>接待登记：下一项；最后一项时保存</source>
        <translation>Reception: next field; saves on the last</translation>
    </message>
    <message>
        <source>接待登记：保存登记</source>
        <translation>Reception: save</translation>
    </message>
    <message>
        <source>下一项 / 上一项（多行文本框中也是）</source>
        <translation>Next / previous field (in multi-line boxes too)</translation>
    </message>
    <message>
        <source>日期框：打开日历</source>
        <translation>Date box: open the calendar</translation>
    </message>
    <message>
        <source>日期框：加减一天</source>
        <translation>Date box: one day on or back</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>表单</source>
        <translation>Form</translation>
    </message>
</context>
<context>
    <name>pdfprint</name>
    <message>
        <source>打印文书</source>
        <translation>Print document</translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>另存为PDF：选择文件夹</source>
        <translation>Save as PDF: choose a folder</translation>
    </message>
</context>
<context>
    <name>slips</name>
    <message>
        <source>出现意外错误，详情已记入日志，请重试或联系管理员。</source>
        <translation>An unexpected error occurred and was logged; try again or contact the administrator.</translation>
    </message>
</context>
<context>
    <name>vocab</name>
    <message>
        <source>绿色</source>
        <translation>Green</translation>
    </message>
    <message>
        <source>黄色</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>橙色</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>红色</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>村(社区)</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>乡镇(街道)</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>县(区)</source>
        <translation>County</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Reminders</translation>
    </message>
    <message>
        <source>黄色督办</source>
        <translation>Yellow supervision</translation>
    </message>
    <message>
        <source>红色督办</source>
        <translation>Red supervision</translation>
    </message>
    <message>
        <source>正常办结</source>
        <translation>Resolved normally</translation>
    </message>
    <message>
        <source>终止调解</source>
        <translation>Mediation ended</translation>
    </message>
    <message>
        <source>评价超时办结</source>
        <translation>Closed, evaluation timed out</translation>
    </message>
    <message>
        <source>县级办结</source>
        <translation>Closed by the county</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Mostly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Not satisfied</translation>
    </message>
    <message>
        <source>达成</source>
        <translation>Agreed</translation>
    </message>
    <message>
        <source>未达成</source>
        <translation>Not agreed</translation>
    </message>
    <message>
        <source>继续调解</source>
        <translation>Mediation continues</translation>
    </message>
    <message>
        <source>已解决</source>
        <translation>Solved</translation>
    </message>
    <message>
        <source>问题反复，重新受理</source>
        <translation>Recurred, accepted again</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>当场答复</source>
        <translation>Answer on the spot</translation>
    </message>
    <message>
        <source>研判定级定色</source>
        <translation>Assess level and colour</translation>
    </message>
    <message>
        <source>调解</source>
        <translation>Mediation</translation>
    </message>
    <message>
        <source>登记调解结果</source>
        <translation>Record mediation result</translation>
    </message>
    <message>
        <source>交办</source>
        <translation>Assign</translation>
    </message>
    <message>
        <source>签收</source>
        <translation>Sign for</translation>
    </message>
    <message>
        <source>延期申请</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <source>延期审批</source>
        <translation>Decide extension</translation>
    </message>
    <message>
        <source>反馈</source>
        <translation>Report back</translation>
    </message>
    <message>
        <source>审核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>退回重办</source>
        <translation>Send back</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>Evaluate</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>回访</source>
        <translation>Follow up</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <source>风险预警</source>
        <translation>Risk warning</translation>
    </message>
    <message>
        <source>暂停计时</source>
        <translation>Pause clock</translation>
    </message>
    <message>
        <source>恢复计时</source>
        <translation>Resume clock</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>办理层级</source>
        <translation>Handling level</translation>
    </message>
    <message>
        <source>风险颜色</source>
        <translation>Risk colour</translation>
    </message>
    <message>
        <source>定色依据</source>
        <translation>Basis for the colour</translation>
    </message>
    <message>
        <source>预警依据</source>
        <translation>Warning basis</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>告知的其他途径</source>
        <translation>Other route advised</translation>
    </message>
    <message>
        <source>答复内容</source>
        <translation>Answer given</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <source>已登记待受理</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>已受理待研判</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>已研判</source>
        <translation>Assessed</translation>
    </message>
    <message>
        <source>调解中</source>
        <translation>In mediation</translation>
    </message>
    <message>
        <source>已交办待签收</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>承办中</source>
        <translation>Being handled</translation>
    </message>
    <message>
        <source>延期审核中</source>
        <translation>Extension pending</translation>
    </message>
    <message>
        <source>已反馈待审核</source>
        <translation>Reported back</translation>
    </message>
    <message>
        <source>调解未成</source>
        <translation>Mediation failed</translation>
    </message>
    <message>
        <source>已上报</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <source>待评价</source>
        <translation>To evaluate</translation>
    </message>
    <message>
        <source>已评价待办结</source>
        <translation>Evaluated</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>已归档待回访</source>
        <translation>Archived, follow-up due</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>咨询已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>协办签收</source>
        <translation>Co-handling sign-for</translation>
    </message>
    <message>
        <source>协办反馈</source>
        <translation>Co-handling report</translation>
    </message>
    <message>
        <source>取消督办</source>
        <translation>End supervision</translation>
    </message>
    <message>
        <source>已预约</source>
        <translation>Booked</translation>
    </message>
    <message>
        <source>使用中</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>过期未到</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>来访批次</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>来访人次</source>
        <translation>Visitors</translation>
    </message>
    <message>
        <source>新受理</source>
        <translation>Newly accepted</translation>
    </message>
    <message>
        <source>当场化解</source>
        <translation>Resolved on the spot</translation>
    </message>
    <message>
        <source>在办</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>今日到期</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>红色预警</source>
        <translation>Red alerts</translation>
    </message>
    <message>
        <source>督办中</source>
        <translation>Under supervision</translation>
    </message>
    <message>
        <source>按纠纷类别（GB/T 31000）</source>
        <translation>By dispute category (GB/T 31000)</translation>
    </message>
    <message>
        <source>按村（社区）</source>
        <translation>By village (community)</translation>
    </message>
    <message>
        <source>按来源渠道</source>
        <translation>By source channel</translation>
    </message>
    <message>
        <source>按承办单位</source>
        <translation>By handling unit</translation>
    </message>
    <message>
        <source>风险颜色分布</source>
        <translation>By risk colour</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>案件流转记录</source>
        <translation>Case events</translation>
    </message>
    <message>
        <source>案件别名</source>
        <translation>Case alias</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>来访登记</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>来访人</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <source>组织机构</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>文书打印记录</source>
        <translation>Print record</translation>
    </message>
    <message>
        <source>调解文书</source>
        <translation>Mediation document</translation>
    </message>
    <message>
        <source>调解文书打印记录</source>
        <translation>Mediation document print record</translation>
    </message>
    <message>
        <source>冲突裁决</source>
        <translation>Conflict decision</translation>
    </message>
    <message>
        <source>人员变更记录</source>
        <translation>Person record change</translation>
    </message>
    <message>
        <source>曾用电话</source>
        <translation>Former phone</translation>
    </message>
    <message>
        <source>调解中心信息</source>
        <translation>Centre details</translation>
    </message>
    <message>
        <source>调解室预约</source>
        <translation>Room booking</translation>
    </message>
    <message>
        <source>周期预约</source>
        <translation>Weekly booking</translation>
    </message>
    <message>
        <source>提醒电话</source>
        <translation>Reminder call</translation>
    </message>
    <message>
        <source>调解记录</source>
        <translation>Session record</translation>
    </message>
    <message>
        <source>调解记录更正</source>
        <translation>Mediation record correction</translation>
    </message>
    <message>
        <source>调解协议</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <source>审计签名公钥</source>
        <translation>Audit signing key</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>办理时限规则</source>
        <translation>Deadline rule</translation>
    </message>
    <message>
        <source>节假日安排</source>
        <translation>Holiday schedule</translation>
    </message>
    <message>
        <source>参考数据</source>
        <translation>Reference data</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>诉求摘要</source>
        <translation>Request summary</translation>
    </message>
    <message>
        <source>详细情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>所属村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>发生地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>发生时间</source>
        <translation>Occurred at</translation>
    </message>
    <message>
        <source>涉及金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>People involved</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>设置中选择</source>
        <translation>chosen in settings</translation>
    </message>
    <message>
        <source>本机字体</source>
        <translation>installed font</translation>
    </message>
    <message>
        <source>随软件附带</source>
        <translation>bundled</translation>
    </message>
    <message>
        <source>面对面</source>
        <translation>Face to face</translation>
    </message>
    <message>
        <source>背对背</source>
        <translation>Separately (shuttle)</translation>
    </message>
    <message>
        <source>联合调解</source>
        <translation>Joint mediation</translation>
    </message>
    <message>
        <source>线上</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>已选人员</source>
        <translation>chosen person</translation>
    </message>
    <message>
        <source>证件号码一致</source>
        <translation>same ID number</translation>
    </message>
    <message>
        <source>同名同电话</source>
        <translation>Same name and phone</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <source>签收人</source>
        <translation>Signed for by</translation>
    </message>
    <message>
        <source>延期天数</source>
        <translation>Extension days</translation>
    </message>
    <message>
        <source>审批意见</source>
        <translation>Decision note</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>办结类型</source>
        <translation>Closure type</translation>
    </message>
    <message>
        <source>回访结果</source>
        <translation>Follow-up result</translation>
    </message>
    <message>
        <source>督办级别</source>
        <translation>Supervision level</translation>
    </message>
    <message>
        <source>协办单位</source>
        <translation>Co-handling unit</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>Not given</translation>
    </message>
    <message>
        <source>未交办</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <source>化解成功率</source>
        <translation>Resolution rate</translation>
    </message>
    <message>
        <source>化解成功率＝本期办结案件中化解成功的件数÷本期办结件数×100%。化解成功指经调解达成协议或经承办单位办理、审核通过后办结；调解不成终止、上报县级办结的不计为成功。</source>
        <translation>Resolution rate = cases closed in the period that were resolved ÷ cases closed in the period × 100%. Resolved means closed after an agreement reached in mediation, or after handling by the assigned unit and approval on review; cases ended because mediation failed and cases closed by referral to the county do not count as resolved.</translation>
    </message>
    <message>
        <source>办结率</source>
        <translation>Closure rate</translation>
    </message>
    <message>
        <source>办结率＝本期受理且截至数据截止时间已办结的件数÷本期受理件数×100%（不含已作废、不予受理和咨询当场答复）。</source>
        <translation>Closure rate = cases accepted in the period and closed by the data cut-off ÷ cases accepted in the period × 100% (voided, not accepted and enquiries answered on the spot excluded).</translation>
    </message>
    <message>
        <source>按期办结率</source>
        <translation>On-time closure rate</translation>
    </message>
    <message>
        <source>按期办结率＝本期办结件数中在办理时限（含批准延期、扣除暂停计时）内办结的件数÷本期办结件数×100%。</source>
        <translation>On-time closure rate = cases closed in the period within their time limit (approved extensions included, paused time deducted) ÷ cases closed in the period × 100%.</translation>
    </message>
    <message>
        <source>满意率</source>
        <translation>Satisfaction rate</translation>
    </message>
    <message>
        <source>满意率＝本期群众评价为“满意”或“基本满意”的件数÷本期已评价件数×100%；同一案件多次评价的，以本期最后一次评价为准。</source>
        <translation>Satisfaction rate = cases rated “Satisfied” or “Mostly satisfied” by the public in the period ÷ cases rated in the period × 100%; a case rated more than once counts with its last rating in the period.</translation>
    </message>
    <message>
        <source>调解成功率</source>
        <translation>Mediation success rate</translation>
    </message>
    <message>
        <source>调解成功率＝本期登记调解结果为“达成协议”的件数÷本期登记调解结果（达成或未达成）的件数×100%。</source>
        <translation>Mediation success rate = mediation results recorded in the period as “Agreement reached” ÷ mediation results (agreed or not agreed) recorded in the period × 100%.</translation>
    </message>
    <message>
        <source>修改数据</source>
        <translation>Change data</translation>
    </message>
    <message>
        <source>接收同步数据</source>
        <translation>Receive synced data</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>登录失败</source>
        <translation>Sign-in failed</translation>
    </message>
    <message>
        <source>查看完整个人信息</source>
        <translation>View full personal data</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>作废文书</source>
        <translation>Void document</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>修改用户</source>
        <translation>Edit user</translation>
    </message>
    <message>
        <source>重设密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>解锁用户</source>
        <translation>Unlock user</translation>
    </message>
    <message>
        <source>申请从备份恢复</source>
        <translation>Restore from backup requested</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>从备份恢复未成功</source>
        <translation>Restore from backup not done</translation>
    </message>
    <message>
        <source>绿</source>
        <translation>Green</translation>
    </message>
    <message>
        <source>黄</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>橙</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>红</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>被申请人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <source>代表</source>
        <translation>Representative</translation>
    </message>
    <message>
        <source>第三人</source>
        <translation>Third party</translation>
    </message>
    <message>
        <source>代理人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>来访人本人</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <source>群众代表</source>
        <translation>Representative</translation>
    </message>
    <message>
        <source>同行人员</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>委托代理人</source>
        <translation>Authorised agent</translation>
    </message>
    <message>
        <source>监护人</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <source>受理登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>引导至诉讼</source>
        <translation>Refer to litigation</translation>
    </message>
    <message>
        <source>引导至仲裁</source>
        <translation>Refer to arbitration</translation>
    </message>
    <message>
        <source>引导至行政复议</source>
        <translation>Refer to administrative review</translation>
    </message>
    <message>
        <source>引导至信访</source>
        <translation>Refer to petitions</translation>
    </message>
    <message>
        <source>引导至12345</source>
        <translation>Refer to 12345</translation>
    </message>
    <message>
        <source>预约调解</source>
        <translation>Book mediation</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>港澳居民居住证</source>
        <translation>HK/Macao residence permit</translation>
    </message>
    <message>
        <source>台湾居民居住证</source>
        <translation>Taiwan residence permit</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>Foreigner’s permanent residence ID</translation>
    </message>
    <message>
        <source>无证件</source>
        <translation>No ID</translation>
    </message>
    <message>
        <source>工作小时</source>
        <translation>working hours</translation>
    </message>
    <message>
        <source>自然小时</source>
        <translation>clock hours</translation>
    </message>
    <message>
        <source>个体性事件</source>
        <translation>Individual matter</translation>
    </message>
    <message>
        <source>一般群体性事件</source>
        <translation>Group matter</translation>
    </message>
    <message>
        <source>重大群体性事件</source>
        <translation>Major group matter</translation>
    </message>
    <message>
        <source>来访(走访)</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <source>来电</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <source>来信</source>
        <translation>Letter</translation>
    </message>
    <message>
        <source>网上</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>12345转办</source>
        <translation>From 12345</translation>
    </message>
    <message>
        <source>网格员上报</source>
        <translation>Grid worker report</translation>
    </message>
    <message>
        <source>部门推送</source>
        <translation>From a department</translation>
    </message>
    <message>
        <source>上级交办</source>
        <translation>From above</translation>
    </message>
    <message>
        <source>诉调对接</source>
        <translation>Court referral</translation>
    </message>
    <message>
        <source>警调对接</source>
        <translation>Police referral</translation>
    </message>
    <message>
        <source>访调对接</source>
        <translation>Petition referral</translation>
    </message>
    <message>
        <source>人民调解</source>
        <translation>People’s mediation</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>自然日</source>
        <translation>calendar days</translation>
    </message>
    <message>
        <source>工作日</source>
        <translation>working days</translation>
    </message>
    <message>
        <source>接待员</source>
        <translation>Receptionist</translation>
    </message>
    <message>
        <source>中心主任</source>
        <translation>Centre director</translation>
    </message>
    <message>
        <source>系统管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>县级用户</source>
        <translation>County user</translation>
    </message>
    <message>
        <source>登记来访</source>
        <translation>Register visits</translation>
    </message>
    <message>
        <source>记录调解结果</source>
        <translation>Record mediation results</translation>
    </message>
    <message>
        <source>申请延期</source>
        <translation>Request extensions</translation>
    </message>
    <message>
        <source>审批延期</source>
        <translation>Decide on extensions</translation>
    </message>
    <message>
        <source>作废案件</source>
        <translation>Void cases</translation>
    </message>
    <message>
        <source>发出风险预警</source>
        <translation>Issue risk warnings</translation>
    </message>
    <message>
        <source>查看完整电话号码</source>
        <translation>View full phone numbers</translation>
    </message>
    <message>
        <source>查看完整身份证号码</source>
        <translation>View full ID numbers</translation>
    </message>
    <message>
        <source>打印文书</source>
        <translation>Print documents</translation>
    </message>
    <message>
        <source>导出台账</source>
        <translation>Export the ledger</translation>
    </message>
    <message>
        <source>查看统计</source>
        <translation>View statistics</translation>
    </message>
    <message>
        <source>生成日报</source>
        <translation>Make daily reports</translation>
    </message>
    <message>
        <source>生成周报、月报</source>
        <translation>Make weekly and monthly reports</translation>
    </message>
    <message>
        <source>生成考核表</source>
        <translation>Make assessment sheets</translation>
    </message>
    <message>
        <source>生成专报</source>
        <translation>Make special reports</translation>
    </message>
    <message>
        <source>预约调解室</source>
        <translation>Book mediation rooms</translation>
    </message>
    <message>
        <source>记录调解过程和协议</source>
        <translation>Record mediation sessions and agreements</translation>
    </message>
    <message>
        <source>管理调解室和调解员</source>
        <translation>Manage rooms and mediators</translation>
    </message>
    <message>
        <source>作废调解记录</source>
        <translation>Void mediation records</translation>
    </message>
    <message>
        <source>裁决同步冲突</source>
        <translation>Settle sync conflicts</translation>
    </message>
    <message>
        <source>导入节假日安排</source>
        <translation>Import holiday schedules</translation>
    </message>
    <message>
        <source>设置县级平台连接</source>
        <translation>Set up the county hub connection</translation>
    </message>
    <message>
        <source>管理用户</source>
        <translation>Manage users</translation>
    </message>
    <message>
        <source>查看审计日志</source>
        <translation>View the audit log</translation>
    </message>
    <message>
        <source>备份和恢复数据</source>
        <translation>Back up and restore data</translation>
    </message>
    <message>
        <source>管理数据密钥（轮换、恢复文件）</source>
        <translation>Manage data keys (rotation, recovery files)</translation>
    </message>
    <message>
        <source>请先登录</source>
        <translation>Please sign in first</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Agreed</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>Not agreed</translation>
    </message>
</context>
</TS>
