// The data of the workflows benchmark: one AII tenant (its charter loaded by CHARTER LOAD
// through the handlers) with N members whose `state` is the engine's MemberRecord (encoded
// here, inserted 5,000 a statement with unnest arrays), their register entries (admission,
// tier changes, exits, suspensions), decisions and facts, and 5 years of held meetings
// (council 4 a year, general assembly once) with attendance rows and the council's
// attendanceRecorded decisions (AII art. 13). Bulk SQL runs as the superuser (row-level
// security does not restrict it), with the tenant's id in every row.
import CharterCalendar
import CharterCrypto
import CharterGovernance
import CharterPostgres
import CharterWorkflows
import Foundation

enum WorkflowsBenchSeed {
  static let tenantSlug = "aii-bench"
  static let exportPageSize = 10_000
  static let batchSize = 5_000
  static let directorTiers = ["chair", "vice_chair", "director"]

  /// The statements the three handlers run (Sources/CharterWorkflows/Members/
  /// RegisterCommands.swift `registerListQuery` and `registerExport`, MemberQueries.swift
  /// `memberHistory`), first page and default limit, parameters written in: the psql baseline.
  static func listSQL() -> String {
    """
    select id, name, kind, coalesce(credit_code, ''), status, coalesce(tier, ''), \
    coalesce(joined_on::text, ''), coalesce(left_on::text, '') \
    from charter.members where tenant_id = charter.current_tenant() order by name, id limit 100;
    """
  }

  static func historySQL(member: UUID) -> String {
    let id = member.uuidString.lowercased()
    return """
      select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), source, id, \
      day, what, standing, article, cause, recorded_by from ( \
      select r.recorded_at as at, 'register' as source, r.id, r.effective_on::text as day, \
      r.event as what, r.status || coalesce(' ' || r.tier, '') as standing, \
      coalesce((select d.article from charter.decisions d where d.tenant_id = r.tenant_id \
      and d.id = (r.detail ->> 'decision')::bigint), '') as article, r.cause, r.recorded_by \
      from charter.member_register r \
      where r.tenant_id = charter.current_tenant() and r.member_id = '\(id)' \
      union all \
      select d.recorded_at, 'decision', d.id, d.decided_on::text, d.code, \
      coalesce('v' || d.charter_version, ''), d.article, \
      coalesce(d.detail ->> 'reasons', ''), d.recorded_by \
      from charter.decisions d \
      where d.tenant_id = charter.current_tenant() and d.subject = 'member:\(id)' \
      ) h order by at, source, id limit 100;
      """
  }

  /// The whole register as CSV by COPY, one line (a psql meta-command ends at its line's end).
  static func exportSQL() -> String {
    "\\copy (select name, kind, coalesce(credit_code, ''), coalesce(tier, ''), status, "
      + "coalesce(joined_on::text, ''), coalesce(left_on::text, ''), "
      + "coalesce(state #>> '{status,left,_0}', ''), "
      + "coalesce(contact_name, ''), coalesce(contact_email, ''), "
      + "coalesce(contact_phone, ''), coalesce(representative_name, ''), "
      + "coalesce(representative_title, ''), coalesce(representative_rank, ''), "
      + "coalesce(representative_birth_date::text, ''), id "
      + "from charter.members where tenant_id = charter.current_tenant() "
      + "and status in ('member', 'exit_pending', 'suspended', 'former') "
      + "order by name, coalesce(credit_code, ''), id) to '/dev/null' with (format csv, header)\n"
  }
}

/// Creates and seeds the benchmark database; writes the psql statements into the folder.
@Sendable func seedWorkflowsBenchmark(_ options: WorkflowsBenchmarkOptions) async throws
  -> [String]
{
  guard !options.folder.isEmpty else { throw WorkflowsBenchmarkUsage() }
  let clock = ContinuousClock()
  let start = clock.now
  let database = try await SchedulerBenchDatabase.create(
    url: options.url, repository: options.repository, label: "workflows")
  let hash = try PasswordHasher(policy: WorkflowsBenchServices.passwordPolicy)
    .hash(WorkflowsBenchServices.operatorPassword)
  try await database.asSuperuser { connection in
    try await connection.query(
      "insert into charter.operators (login, display_name, password_hash) values ($1, $1, $2)",
      [WorkflowsBenchServices.operatorName, hash])
  }

  // The tenant and its charter through the handlers, as an operator would.
  let services = try WorkflowsBenchServices(database, repository: options.repository)
  do {
    let session = try await services.session(tenant: nil)
    try await WorkflowsBenchServices.expectOK(
      session, "TENANT CREATE \(WorkflowsBenchSeed.tenantSlug) \"工业互联网产业联盟（基准）\"")
    try await WorkflowsBenchServices.expectOK(
      session, "TENANT USE \(WorkflowsBenchSeed.tenantSlug)")
    try await WorkflowsBenchServices.expectOK(session, "CHARTER LOAD aii")
  } catch {
    await services.shutdown()
    throw error
  }
  await services.shutdown()

  let seeded = try await database.asSuperuser { connection in
    try await seedRegister(connection, members: options.members)
  }
  let folder = URL(fileURLWithPath: options.folder)
  let files: [(String, String)] = [
    ("list.sql", WorkflowsBenchSeed.listSQL() + "\n"),
    ("history.sql", WorkflowsBenchSeed.historySQL(member: seeded.longHistoryMember) + "\n"),
    ("export.sql", WorkflowsBenchSeed.exportSQL()),
  ]
  for (name, text) in files {
    try Data(text.utf8).write(to: folder.appendingPathComponent(name))
  }
  let elapsed = clock.now - start
  return [
    "database \(database.name)", "tenant \(seeded.tenant.uuidString.lowercased())",
    "member \(seeded.longHistoryMember.uuidString.lowercased())",
    "seeded \(seeded.summary) in \(elapsed.components.seconds) s",
  ]
}

private struct SeededRegister: Sendable {
  var tenant: UUID
  var longHistoryMember: UUID
  var summary: String
}

/// A deterministic generator, so every run seeds the same register (SplitMix64).
private struct SeedRandom {
  private var state: UInt64
  init(_ seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

private enum Names {
  static let cities = [
    "北京", "上海", "深圳", "杭州", "广州", "成都", "武汉", "南京", "西安", "苏州", "天津", "重庆", "合肥",
    "青岛", "长沙", "厦门", "济南", "郑州", "沈阳", "无锡",
  ]
  static let roots = [
    "华", "中", "天", "新", "智", "东", "恒", "瑞", "博", "泰", "达", "兴", "安", "信", "宏", "联", "海", "鼎",
    "融", "汇",
  ]
  static let fields = [
    "工业互联网", "智能制造", "信息技术", "自动化", "网络科技", "软件", "数据", "云计算", "电子", "通信",
    "机器人", "物联网", "安全技术", "精密机械", "新材料",
  ]
  static let suffixes = ["有限公司", "股份有限公司", "科技有限公司", "研究院", "集团有限公司"]
  static let surnames = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗",
  ]
  static let given = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
    "霞", "平",
  ]
  static let titles = ["总经理", "副总经理", "总工程师", "技术总监", "首席信息官", "副总裁"]
  static let ranks = ["president", "vice-president", "director", "manager"]
}

/// Members (5,000 a statement), then the register, decisions, facts, meetings and attendance
/// in a few INSERT … SELECT statements.
private func seedRegister(_ connection: PostgresConnection, members count: Int) async throws
  -> SeededRegister
{
  let tenant = try await connection.query(
    "select id from charter.tenants where slug = $1", [WorkflowsBenchSeed.tenantSlug]
  ).scalar(as: UUID.self)
  let version = try await connection.query(
    "select max(version) from charter.charter_versions where tenant_id = $1", [tenant]
  ).scalar(as: Int.self)
  guard let firstDay = CivilDate(year: 2016, month: 1, day: 4),
    let lastCouncil = CivilDate(year: 2025, month: 12, day: 16),
    let exitNotice = CivilDate(year: 2026, month: 10, day: 12)
  else { throw WorkflowsBenchmarkFailure("bad seed dates") }

  var random = SeedRandom(20_261_121)
  // The chair unit (index 0) has the long history; 20 vice chairs and 300 directors sit in
  // the council with it; they all joined before the meetings began (2016–2019).
  var longHistoryMember = UUID()
  var batch = MemberBatch()
  for index in 0..<count {
    let id = UUID()
    if index == 0 { longHistoryMember = id }
    let tier =
      index == 0 ? "chair" : index <= 20 ? "vice_chair" : index <= 320 ? "director" : "ordinary"
    let isDirector = tier != "ordinary"
    let kind: MemberKind = !isDirector && index % 10 == 9 ? .individual : .unit
    let joined = firstDay.adding(days: isDirector ? random.below(1_400) : random.below(3_600))
    let fate = isDirector ? 1_000 : random.below(1_000)
    var status: MemberRecord.Status = .active
    var suspendedSince: CivilDate?
    if fate < 20 {
      status = .left(
        random.below(10) < 8 ? .voluntaryExit : .licenceRevocation,
        on: joined.adding(days: 200 + random.below(1_500)))
    } else if fate < 25 {
      suspendedSince = joined.adding(days: 300 + random.below(1_000))
    } else if fate < 30 {
      status = .exitPending(noticeOn: exitNotice, effective: exitNotice.adding(days: 30))
    }
    var record = MemberRecord(
      id: MemberID(id.uuidString.lowercased()), kind: kind, tier: tier, status: status,
      since: joined, absenceStreaks: isDirector ? ["council": random.below(3) == 0 ? 1 : 0] : [:],
      lastActivity: isDirector ? lastCouncil : joined)
    record.suspendedSince = suspendedSince
    var left = ""
    if case .left(_, let on) = status { left = on.description }

    let name: String
    let credit: String
    if kind == .unit {
      name =
        random.pick(Names.cities) + random.pick(Names.roots) + random.pick(Names.roots)
        + random.pick(Names.fields) + random.pick(Names.suffixes)
      credit = "9111" + String(format: "%014d", index)
    } else {
      name = random.pick(Names.surnames) + random.pick(Names.given) + random.pick(Names.given)
      credit = ""
    }
    let contact = random.pick(Names.surnames) + random.pick(Names.given) + random.pick(Names.given)
    batch.ids.append(id)
    batch.kinds.append(kind.rawValue)
    batch.names.append(name)
    batch.credits.append(credit)
    batch.contacts.append(contact)
    batch.emails.append("member\(index)@example.com")
    batch.phones.append(String(format: "138%08d", index))
    batch.statuses.append(MemberStore.status(of: record))
    batch.tiers.append(tier)
    batch.joined.append(joined.description)
    batch.left.append(left)
    batch.representatives.append(kind == .unit ? contact : "")
    batch.titles.append(kind == .unit ? random.pick(Names.titles) : "")
    batch.ranks.append(kind == .unit ? random.pick(Names.ranks) : "")
    batch.births.append(
      kind == .unit ? "19\(60 + random.below(30))-0\(1 + random.below(9))-1\(random.below(9))" : "")
    batch.states.append(try EngineState.encode(record).text)
    if batch.ids.count == WorkflowsBenchSeed.batchSize || index == count - 1 {
      try await batch.insert(tenant: tenant, on: connection)
      batch = MemberBatch()
    }
  }

  let meetings = try await seedMeetings(connection, tenant: tenant)
  try await connection.executeScript(
    registerSQL(tenant: tenant, version: version, longHistoryMember: longHistoryMember))
  try await connection.executeScript("analyze")
  let counts = try await connection.query(
    """
    select (select count(*) from charter.members), (select count(*) from charter.member_register),
           (select count(*) from charter.decisions), (select count(*) from charter.facts),
           (select count(*) from charter.meeting_attendance)
    """
  ).rows
  guard let row = counts.first else { throw WorkflowsBenchmarkFailure("no counts") }
  let summary =
    "\(try row.decode(0, as: Int.self)) members, \(try row.decode(1, as: Int.self)) register entries, "
    + "\(try row.decode(2, as: Int.self)) decisions, \(try row.decode(3, as: Int.self)) facts, "
    + "\(meetings) meetings, \(try row.decode(4, as: Int.self)) attendance rows"
  return SeededRegister(tenant: tenant, longHistoryMember: longHistoryMember, summary: summary)
}

private struct MemberBatch {
  var ids: [UUID] = []
  var kinds: [String] = []
  var names: [String] = []
  var credits: [String] = []
  var contacts: [String] = []
  var emails: [String] = []
  var phones: [String] = []
  var statuses: [String] = []
  var tiers: [String] = []
  var joined: [String] = []
  var left: [String] = []
  var representatives: [String] = []
  var titles: [String] = []
  var ranks: [String] = []
  var births: [String] = []
  var states: [String] = []

  func insert(tenant: UUID, on connection: PostgresConnection) async throws {
    try await connection.query(
      """
      insert into charter.members
          (tenant_id, id, kind, name, credit_code, contact_name, contact_email, contact_phone,
           status, tier, joined_on, left_on, representative_name, representative_title,
           representative_rank, representative_birth_date, state, revision)
      select $1, u.id, u.kind, u.name, nullif(u.credit, ''), u.contact, u.email, u.phone,
             u.status, u.tier, u.joined::date, nullif(u.left_on, '')::date,
             nullif(u.representative, ''), nullif(u.title, ''), nullif(u.rank, ''),
             nullif(u.born, '')::date, u.state::jsonb, 1
      from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                  $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                  $14::text[], $15::text[], $16::text[], $17::text[])
          as u(id, kind, name, credit, contact, email, phone, status, tier, joined, left_on,
               representative, title, rank, born, state)
      """,
      [
        tenant, ids, kinds, names, credits, contacts, emails, phones, statuses, tiers, joined,
        left, representatives, titles, ranks, births, states,
      ])
  }
}

/// 5 years (2021–2025) of held meetings: the council 4 times a year, the general assembly
/// once; each state is the engine's `Meeting`, decoded here so the meetings code reads it.
private func seedMeetings(_ connection: PostgresConnection, tenant: UUID) async throws -> Int {
  var count = 0
  for year in 2021...2025 {
    var meetings: [(body: String, title: String, mode: String, day: String)] = [
      ("general_assembly", "\(year) 年会员大会", "in_person", "\(year)-04-20")
    ]
    for (quarter, month) in [3, 6, 9, 12].enumerated() {
      meetings.append(
        (
          "council", "理事会 \(year) 年第 \(quarter + 1) 次会议",
          quarter == 2 ? "correspondence" : "in_person",
          "\(year)-\(String(format: "%02d", month))-16"
        ))
    }
    for meeting in meetings {
      guard let day = CivilDate(iso: meeting.day) else {
        throw WorkflowsBenchmarkFailure("bad meeting day \(meeting.day)")
      }
      let id = UUID()
      let template =
        "{\"body\":\"\(meeting.body)\",\"day\":\"\(day)\",\"decidedMotions\":[],"
        + "\"id\":{\"rawValue\":\"\(id.uuidString.lowercased())\"},"
        + "\"noticeSentOn\":\"\(day.adding(days: -20))\"}"
      let state = try EngineState.decode(
        Meeting.self, from: PostgresJSON(template), row: "seeded meeting")
      try await connection.query(
        """
        insert into charter.meetings
            (tenant_id, id, body, title, mode, held_on, location, agenda, status, minutes, state,
             revision)
        values ($1, $2, $3, $4, $5, $6::date, '北京市海淀区', '1. 工作报告\n2. 审议事项', 'held',
                '会议纪要已归档。', $7, 4)
        """,
        [
          tenant, id, meeting.body, meeting.title, meeting.mode, meeting.day,
          try EngineState.encode(state),
        ])
      count += 1
    }
  }
  return count
}

/// The register entries, decisions, facts and attendance, from the rows seeded above.
private func registerSQL(tenant: UUID, version: Int, longHistoryMember: UUID) -> String {
  let t = "'\(tenant.uuidString.lowercased())'::uuid"
  let chair = "'\(longHistoryMember.uuidString.lowercased())'::uuid"
  let directors = "('director', 'vice_chair', 'chair')"
  return """
    -- Admission of every member (directors were admitted as ordinary members).
    insert into charter.member_register
        (tenant_id, member_id, event, effective_on, tier, status, cause, charter_version,
         recorded_by, recorded_at)
    select tenant_id, id, 'admitted', joined_on,
           case when tier in \(directors) then 'ordinary' else tier end, 'member',
           'AII art. 11: admitted by the standing council', \(version), 'secretariat',
           joined_on + time '10:00'
    from charter.members where tenant_id = \(t);

    -- Tier changes of the council's members: decision, fact and register entry.
    with promoted as (
        select id, tier, joined_on + 180 as day from charter.members
        where tenant_id = \(t) and tier in \(directors)
    ), decided as (
        insert into charter.decisions
            (tenant_id, subject, code, article, charter_version, profile_id, decided_on,
             recorded_at, recorded_by, command, detail)
        select \(t), 'member:' || id, 'tierChanged', 'AII art. 12-13', \(version), 'aii', day,
               day + time '15:00', 'bench', 'MEMBER TIER ' || id || ' ' || tier,
               jsonb_build_object('from', 'ordinary', 'to', tier)
        from promoted
        returning id, subject, decided_on
    ), facts as (
        insert into charter.facts
            (tenant_id, decision_id, kind, subject, day, article, charter_version, details)
        select \(t), id, 'tierChanged', subject, decided_on, 'AII art. 12-13', \(version),
               jsonb_build_object('from', 'ordinary')
        from decided
    )
    insert into charter.member_register
        (tenant_id, member_id, event, effective_on, tier, status, cause, charter_version,
         recorded_by, recorded_at, detail)
    select \(t), m.id, 'tier_changed', d.decided_on, m.tier, 'member',
           'AII art. 12-13: decided by the council', \(version), 'bench',
           d.decided_on + time '15:00', jsonb_build_object('decision', d.id::text)
    from decided d join charter.members m on m.id = substr(d.subject, 8)::uuid;

    -- Exits, licence revocations, suspensions, exit notices.
    insert into charter.member_register
        (tenant_id, member_id, event, effective_on, tier, status, cause, charter_version,
         recorded_by, recorded_at)
    select tenant_id, id,
           case when state #>> '{status,left,_0}' = 'licence_revocation' then 'licence_revoked'
                when status = 'former' then 'withdrawn'
                when status = 'suspended' then 'suspended'
                else 'exit_noticed' end,
           coalesce(left_on, (state ->> 'suspendedSince')::date, date '2026-10-12'), tier,
           status, 'AII art. 15', \(version), 'secretariat',
           coalesce(left_on, (state ->> 'suspendedSince')::date, date '2026-10-12')
               + time '11:00'
    from charter.members
    where tenant_id = \(t) and status in ('former', 'suspended', 'exit_pending');

    -- The long history: the chair unit's contact changed every month since it joined.
    insert into charter.member_register
        (tenant_id, member_id, event, effective_on, tier, status, cause, charter_version,
         recorded_by, recorded_at)
    select \(t), \(chair), 'contact_changed', day::date, 'chair', 'member',
           'contact person changed', \(version), 'secretariat', day + time '09:30'
    from charter.members m,
         generate_series(m.joined_on + 30, date '2025-12-31', interval '1 month') as day
    where m.id = \(chair);

    -- Attendance: the general assembly is every member of the day, the council its tiers.
    insert into charter.meeting_attendance
        (tenant_id, meeting_id, member_id, status, proxy_holder_id, recorded_at)
    select \(t), mt.id, m.id, a.status,
           case when a.status = 'proxy' then \(chair) end, mt.held_on + time '18:00'
    from charter.meetings mt
    join charter.members m
      on m.tenant_id = mt.tenant_id and m.joined_on <= mt.held_on
     and (m.left_on is null or m.left_on > mt.held_on)
     and (mt.body = 'general_assembly' or m.tier in \(directors))
    cross join lateral (
        select case when m.id = \(chair) then 'present'
                    when h < 70 then 'present'
                    when h < 80 then case when mt.body = 'council' then 'correspondence'
                                          else 'proxy' end
                    when h < 93 then 'absent'
                    else 'excused' end as status
        from (select abs(hashtext(mt.id::text || m.id::text)) % 100 as h) x
    ) a
    where mt.tenant_id = \(t);

    -- AII art. 13: each council meeting held feeds the attendance of every director unit.
    insert into charter.decisions
        (tenant_id, subject, code, article, interpretation, charter_version, profile_id,
         decided_on, recorded_at, recorded_by, command, detail)
    select \(t), 'member:' || a.member_id, 'attendanceRecorded', 'AII art. 13', true,
           \(version), 'aii', mt.held_on, mt.held_on + time '18:30', 'bench',
           'MEETING HOLD ' || mt.id,
           jsonb_build_object('meeting', mt.id::text, 'body', 'council',
                              'attendance', a.status,
                              'streak', case when a.status in ('absent', 'excused')
                                             then '0->1' else '0->0' end)
    from charter.meeting_attendance a
    join charter.meetings mt on mt.tenant_id = a.tenant_id and mt.id = a.meeting_id
    where a.tenant_id = \(t) and mt.body = 'council';
    """
}
